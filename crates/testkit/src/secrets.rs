//! Fake secrets of every format masking knows, with what must never be shown of each
//! and the line as masked; and ordinary text that looks like a secret but is none. The
//! secrets are random, of the right lengths and alphabets, and belong to no one.

/// One line holding a secret.
#[derive(Debug, Clone, Copy)]
pub struct SecretSample {
    /// What the secret is.
    pub format: &'static str,
    /// The line.
    pub line: &'static str,
    /// A part of the secret that must not appear in any output.
    pub hidden: &'static str,
    /// The line with the secret masked.
    pub masked: &'static str,
    /// The secret as the words of a command line (a flag and its value), when it is not
    /// the line's word that holds it.
    argv: &'static [&'static str],
}

const fn sample(format: &'static str, line: &'static str, hidden: &'static str, masked: &'static str) -> SecretSample {
    SecretSample { format, line, hidden, masked, argv: &[] }
}

impl SecretSample {
    const fn argv(self, argv: &'static [&'static str]) -> SecretSample {
        SecretSample { argv, ..self }
    }

    /// The secret as the words of a command line: the line's word that holds it (a token,
    /// `NAME=value`, a URL), or a flag and its value.
    #[must_use]
    pub fn argv_words(&self) -> Vec<&'static str> {
        if !self.argv.is_empty() {
            return self.argv.to_vec();
        }
        let word = self.line.split_whitespace().find(|w| w.contains(self.hidden)).unwrap_or(self.line);
        vec![word.trim_end_matches([')', ',', '"'])]
    }
}

/// Secret formats: tokens by their prefix, and the value of any name ending in `_KEY`.
pub const SECRET_FORMATS: &[SecretSample] = &[
    sample(
        "Stripe live secret key",
        "STRIPE=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",
        "51PHulN6UquUSKyfhK5LSULJo",
        "STRIPE=sk_live_***",
    ),
    sample(
        "Stripe live restricted key",
        "stripe.api_base 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",
        "51w4VpohMElZTE0hUwWCxWRlv",
        "stripe.api_base rk_live_***",
    ),
    sample("Stripe test secret key", "using sk_test_FZtcsdrNud8LH0L0k6DzseFQ", "FZtcsdrNud8LH0L0k6DzseFQ", "using sk_test_***"),
    sample("Stripe test restricted key", "using rk_test_AwyhuwLHRZ5msQyJYm6wlZ2Q", "AwyhuwLHRZ5msQyJYm6wlZ2Q", "using rk_test_***"),
    sample(
        "Google API key",
        "GET https://maps.googleapis.com/maps/api/geocode/json?key=AIzaXRvPZcpZqKaVNQfGk87WwHqsBYrXLp_ukC- 403",
        "XRvPZcpZqKaVNQfGk87WwHqsBYrXLp",
        "GET https://maps.googleapis.com/maps/api/geocode/json?key=AIza*** 403",
    ),
    sample(
        "Google OAuth access token",
        "access token ya29.a0YmukuzcqCSf3BFh_Dw1nQwWT3lPhfIh1rr0k33IUS6cPb_GqktnB0DV46qJgjYQ-FfVyfVlRVSbpgY6PBMEo482lPHp2qJhu19cBRiE1jLcXsFxCmOYRt5sZ_Bv5ZYmEp_9g9uEjx4x0vRvnRydXLx expired",
        "a0YmukuzcqCSf3BFh_Dw1nQwWT3",
        "access token ya29.*** expired",
    ),
    sample(
        "Slack app-level token",
        "SLACK_APP=xapp-1-A0X19LQ49W3-0734165414252-0ba0e4fd375812746a5cd2ab12a8cca0cbfbab23b49d91ed047ac1f8e79d69a9",
        "0734165414252-0ba0e4fd375812746a5cd2ab12a8cca0",
        "SLACK_APP=xapp-***",
    ),
    sample(
        "Slack user token",
        "slack xoxp-002508459140-994020590783-6730236400697-f4a0224d2b3500c2c87d982e3aef26a3",
        "f4a0224d2b3500c2c87d982e3aef26a3",
        "slack xoxp-***",
    ),
    sample(
        "Slack rotating user token",
        "slack xoxe.xoxp-1-KgO5YPpiB3q4hRuW6Ls04hyM5nxjhM4JoZXsbOPjPqDQKtlEo97rAd30G6HIlV2vha4OQFPkuYgOZ4YcXfYNASbIs54HpFjaNZYn51eDyDB",
        "KgO5YPpiB3q4hRuW6Ls04hyM5nxjhM4J",
        "slack xoxe.xoxp-***",
    ),
    sample(
        "Slack refresh token",
        "slack xoxe-1-W9n9QaxvOXNARLuk3wW2F5D981jF092qADDKtJf7EhZkrpzeAEUrvbBBlkMFrwFtJfEGU5MeFzqmIJFVgOI1gO3qJ3kbQFTWr",
        "W9n9QaxvOXNARLuk3wW2F5D981jF",
        "slack xoxe-***",
    ),
    sample(
        "Slack client token",
        "slack xoxc-255516224864-094082475228-3051197629937-8f343bb138a80ccd8153106ba961d941c0ec52690e3b677e24da89368c1a4204",
        "8f343bb138a80ccd8153106ba961d941",
        "slack xoxc-***",
    ),
    sample(
        "Slack session cookie",
        "cookie d=xoxd-FXtPeRQlzIBqCd7alHDnzxo8%2BeoypjWXV1AavqS89Fuq5jXcGizLTcSHULMvWwJjgDyZdXX6i8ZzVID%2FcW1rHJj82tAcflD7qHRC%3D",
        "FXtPeRQlzIBqCd7alHDnzxo8",
        "cookie d=xoxd-***",
    ),
    sample(
        "Slack incoming webhook",
        "curl -X POST https://hooks.slack.com/services/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 -d @msg.json",
        "AEsKSmnW1lS6X4r0te5RWoZO",
        "curl -X POST https://hooks.slack.com/services/*** -d @msg.json",
    ),
    sample(
        "SendGrid API key",
        "SENDGRID=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",
        "WrIYPrurrYN4VlwjmGfw7xxkuH",
        "SENDGRID=SG.***",
    ),
    sample(
        "PyPI upload token",
        "twine upload -u __token__ -p pypi-AgEIcHlwaS5vcmcgOhIX72ODYbp7ibY_Q30Vc_sDglEcQNeRPD8gNEX_pbw4m3M4hINZ3s1oiglsv-50pIW05lDGjvyWnPi-Va89Uq_gJTcEYAEgwRnKOeq5gUigt4QvlnMxTP1UHXZuiV2CBBgCv9SfAGp8pBQn3o299Gm-WxDS6Yp dist/*",
        "gOhIX72ODYbp7ibY_Q30Vc_sDglEcQNeRPD8",
        "twine upload -u __token__ -p pypi-*** dist/*",
    ),
    sample(
        "Groq API key",
        "client = Groq(api=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)",
        "WHsPxqYD5FxedFtA7iLPILlEIgCeQ2SQ",
        "client = Groq(api=gsk_***)",
    ),
    sample("Replicate API token", "token r8_jcCSiuyk4RbS7iXtX3XhUbcrmEbB5wA5eK7cM", "jcCSiuyk4RbS7iXtX3XhUbcrmEbB5wA5eK7cM", "token r8_***"),
    sample("a name ending in _KEY", "FOO_KEY=opensesame", "opensesame", "FOO_KEY=***"),
    sample("an exported name ending in _KEY", "export LICENSE_KEY=swordfish", "swordfish", "export LICENSE_KEY=***"),
    sample("a JSON key ending in _key", r#"{"foo_key": "rosebud", "n": 1}"#, "rosebud", r#"{"foo_key": "***", "n": 1}"#)
        .argv(&["--config", r#"{"foo_key": "rosebud"}"#]),
    sample("a flag ending in -key", "agent --foo-key plugh --verbose", "plugh", "agent --foo-key *** --verbose").argv(&["--foo-key", "plugh"]),
    sample("a flag ending in -key, attached", "agent --foo-key=xyzzyword --verbose", "xyzzyword", "agent --foo-key=*** --verbose"),
    sample("an env assignment ending in _KEY", "env MY_SERVICE_KEY=bananarama agent", "bananarama", "env MY_SERVICE_KEY=*** agent"),
];

/// Text that is masked by no rule: it must come out of masking byte for byte.
pub const ORDINARY_TEXTS: &[&str] = &[
    "Bearer authentication required",
    "Error: 401 Unauthorized: Bearer authentication required.",
    "bearer tokenization error",
    "WARN bearer tokenization error, retrying",
    "docker build --secret id=npmrc,src=/home/me/.npmrc -t app .",
    "docker buildx build --secret=id=npmrc,src=/home/me/.npmrc .",
    "podman build --secret id=gh,env=GH_TOKEN --secret id=pip,src=/home/me/.config/pip/pip.conf .",
    "pip install sk-video sk-dist",
    "Collecting sk-learn-extra",
    "pip install sk-video-processing-toolkit",
    "Collecting sk-learn-extra-contrib-tools==0.3.0",
    "npm install sk-react-components-library@2.1.0",
    "  Downloading sk_video-1.1.10-py2.py3-none-any.whl (2.3 MB)",
    "export FOO_KEY=\"${FOO_KEY:?}\"",
    "FOO_KEY=$FOO_KEY agent",
    "TypeError: msg.content is undefined (rk_ and sg. are not keys)",
    "Primary key violation: duplicate key value violates unique constraint",
];
