//! What the operator configures about the console: the address people reach it at (which
//! decides whether its cookie is `Secure`) and the origins allowed to frame its pages.

/// The console's configuration.
#[derive(Clone, Debug, Default)]
pub struct ConsoleConfig {
    /// The address the console is reached at, such as `https://easel.example.com`, without a
    /// trailing slash; sign-in links are made with it. Absent: the request's `Host`, over
    /// plain HTTP (a server on loopback).
    pub public_url: Option<String>,
    /// Origins allowed to show console pages in a frame (a host product embedding the share
    /// dialog), each `scheme://host[:port]`. Empty: no page may be framed.
    pub frame_ancestors: Vec<String>,
}

impl ConsoleConfig {
    /// Whether the console is reached over TLS, so its cookie must be `Secure`.
    pub fn secure(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.to_ascii_lowercase().starts_with("https://"))
    }

    /// Checks the configured values: a public URL is an absolute http(s) address and each
    /// frame ancestor an origin, so nothing configured can widen the policy by accident
    /// (a `*` or a `'unsafe-…'` keyword is refused).
    pub fn validate(&self) -> Result<(), String> {
        if let Some(url) = &self.public_url
            && origin_of(url.trim_end_matches('/')).is_none()
        {
            return Err(format!(
                "console public_url `{url}` must be http(s)://host[:port]"
            ));
        }
        for origin in &self.frame_ancestors {
            if origin_of(origin).as_deref() != Some(origin.as_str()) {
                return Err(format!(
                    "console frame ancestor `{origin}` must be an origin: http(s)://host[:port]"
                ));
            }
        }
        Ok(())
    }
}

/// The origin `scheme://host[:port]` of an absolute http(s) URL with nothing after the host
/// but an optional path.
pub fn origin_of(url: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    let (scheme, rest) = lower.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let host = rest.split('/').next()?;
    let ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    ok.then(|| format!("{scheme}://{host}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_checked() {
        assert_eq!(
            origin_of("https://app.example.com/x").as_deref(),
            Some("https://app.example.com")
        );
        assert_eq!(origin_of("javascript:alert(1)"), None);
        assert_eq!(origin_of("https://a.example.com; script-src *"), None);
        let bad = ConsoleConfig {
            public_url: None,
            frame_ancestors: vec!["*".into()],
        };
        assert!(bad.validate().is_err());
        let good = ConsoleConfig {
            public_url: Some("https://easel.example.com".into()),
            frame_ancestors: vec!["http://127.0.0.1:9000".into()],
        };
        assert!(good.validate().is_ok());
        assert!(good.secure());
    }
}
