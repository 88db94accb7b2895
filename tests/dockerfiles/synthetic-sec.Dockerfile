FROM alpine:3
RUN curl -fsSL -H "Authorization: Bearer \
      q8Zr3kLmN0pXyT7vWbC2dE5fGhJ9sU1a" \
      -u deploy:\
hunter2SuperSecretPw \
      https://build:s3cr3tPassw0rd@example.com/pkg.tgz -o /p.tgz && \
    GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789 false_cmd_missing --token sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD
