//! Whether a gateway's endpoint answers: a TCP connect to its host and port, nothing
//! sent. That is read-only and enough to tell a stopped gateway from a running one; TLS
//! and authentication are the CLI's own business once something listens.

use std::io::ErrorKind;
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::mpsc;
use std::time::Duration;

/// How long a gateway has to accept the connection, name lookup included.
pub(super) const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// An endpoint's parts: what OpenShell stores is `http://` or `https://` host and port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Target {
    pub(super) https: bool,
    pub(super) host: String,
    pub(super) port: u16,
}

impl Target {
    /// `host:port`, an IPv6 address in brackets.
    pub(super) fn address(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// Parses `endpoint`; why not when it is not an `http(s)://host[:port]` URL.
pub(super) fn parse(endpoint: &str) -> Result<Target, String> {
    let (scheme, rest) = endpoint.split_once("://").ok_or("it has no scheme (http:// or https://)")?;
    let https = match scheme.to_ascii_lowercase().as_str() {
        "https" => true,
        "http" => false,
        _ => return Err(format!("its scheme {scheme}:// is neither http:// nor https://")),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    // Credentials before `@` are not part of where to connect.
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let (host, after) = bracketed.split_once(']').ok_or("its IPv6 address has no closing `]`")?;
        (host, after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) if !host.contains(':') => (host, Some(port)),
            _ => (authority, None),
        }
    };
    if host.is_empty() {
        return Err("it has no host".to_owned());
    }
    let default = if https { 443 } else { 80 };
    let port = match port {
        None | Some("") => default,
        Some(port) => port.parse().map_err(|_| format!("its port {port} is not a port number"))?,
    };
    Ok(Target { https, host: host.to_owned(), port })
}

/// What a connect found.
#[derive(Debug)]
pub(super) enum Answer {
    /// Something accepted the connection.
    Listens,
    /// Every address refused: nothing listens there.
    Refused,
    /// No answer within [`CONNECT_TIMEOUT`].
    Silent,
    /// The host name does not resolve.
    Unresolved(String),
    /// Another failure (unreachable network, permission).
    Failed(String),
}

/// Connects to `target` and closes at once. The lookup and the connects run on a
/// thread so that a resolver that hangs costs [`CONNECT_TIMEOUT`], not the doctor.
pub(super) fn knock(target: &Target) -> Answer {
    let (tx, rx) = mpsc::channel();
    let (host, port) = (target.host.clone(), target.port);
    std::thread::spawn(move || {
        let _ = tx.send(connect(&host, port));
    });
    rx.recv_timeout(CONNECT_TIMEOUT).unwrap_or(Answer::Silent)
}

fn connect(host: &str, port: u16) -> Answer {
    let addrs: Vec<SocketAddr> = match (host, port).to_socket_addrs() {
        Ok(addrs) => addrs.collect(),
        Err(e) => return Answer::Unresolved(e.to_string()),
    };
    let mut answer = Answer::Unresolved("no address".to_owned());
    for addr in addrs {
        answer = match TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT) {
            Ok(_) => return Answer::Listens,
            Err(e) if e.kind() == ErrorKind::ConnectionRefused => Answer::Refused,
            Err(e) if e.kind() == ErrorKind::TimedOut || e.kind() == ErrorKind::WouldBlock => Answer::Silent,
            // A refusal on one address (`localhost` as ::1) says more than a later failure.
            Err(_) if matches!(answer, Answer::Refused) => Answer::Refused,
            Err(e) => Answer::Failed(e.to_string()),
        };
    }
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_parse_as_openshell_stores_them() {
        let t = |https, host: &str, port| Ok(Target { https, host: host.to_owned(), port });
        assert_eq!(parse("https://127.0.0.1:17670"), t(true, "127.0.0.1", 17670));
        assert_eq!(parse("http://localhost:8080/"), t(false, "localhost", 8080));
        assert_eq!(parse("https://gateway.example.com"), t(true, "gateway.example.com", 443));
        assert_eq!(parse("HTTP://[::1]:8080/x"), t(false, "::1", 8080));
        assert_eq!(parse("https://user:pw@host:1"), t(true, "host", 1));
        assert!(parse("127.0.0.1:8080").is_err());
        assert!(parse("ssh://host:22").is_err());
        assert!(parse("https://:8080").is_err());
        assert!(parse("https://host:99999").is_err());
        assert!(parse("https://[::1").is_err());
        assert_eq!(t(false, "::1", 80).map(|t| t.address()), Ok("[::1]:80".to_owned()));
    }
}
