//! The HTTP client serenity sends REST calls with: serenity's own setup
//! (reqwest with rustls and the built-in web PKI roots) plus what
//! `[discord]` adds: extra trusted certificate authorities
//! (`extra_root_certificates`, read from PEM files here) and fixed
//! addresses for host names (`resolve`). A corporate TLS-intercepting proxy
//! needs the first; the tests' loopback Discord on HTTPS needs both.
//!
//! Requests get a timeout, so a connection that hangs cannot hold a
//! channel's reply line forever (see [`super::order`]).

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::config::DiscordConfig;

/// How long one HTTP request may take, connection included. serenity's
/// rate-limit waits happen between requests and are not counted.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// How long establishing a connection (TCP and TLS) may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Why the HTTP client could not be built.
#[derive(Debug, thiserror::Error)]
pub enum HttpClientError {
    /// A file in `discord.extra_root_certificates` could not be read.
    #[error("cannot read certificate file {} (discord.extra_root_certificates): {source}", path.display())]
    ReadCertificate {
        /// The file.
        path: PathBuf,
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// A file in `discord.extra_root_certificates` is not PEM certificates.
    #[error("{} (discord.extra_root_certificates) is not a PEM certificate file: {reason}", path.display())]
    BadCertificate {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// reqwest refused the configuration.
    #[error("cannot build the HTTP client: {0}")]
    Build(#[source] reqwest::Error),
}

/// Reads every certificate in the PEM file at `path`; at least one.
pub fn read_certificates(path: &Path) -> Result<Vec<reqwest::Certificate>, HttpClientError> {
    let pem = std::fs::read(path).map_err(|source| HttpClientError::ReadCertificate {
        path: path.to_path_buf(),
        source,
    })?;
    let bad = |reason: String| HttpClientError::BadCertificate {
        path: path.to_path_buf(),
        reason,
    };
    let certificates =
        reqwest::Certificate::from_pem_bundle(&pem).map_err(|error| bad(error.to_string()))?;
    if certificates.is_empty() {
        return Err(bad(
            "no \"-----BEGIN CERTIFICATE-----\" block found".to_string()
        ));
    }
    Ok(certificates)
}

/// The reqwest client for serenity's `HttpBuilder::client`.
pub fn build_client(discord: &DiscordConfig) -> Result<reqwest::Client, HttpClientError> {
    let mut builder = reqwest::Client::builder()
        .use_rustls_tls()
        .timeout(REQUEST_TIMEOUT)
        .connect_timeout(CONNECT_TIMEOUT);
    for path in &discord.extra_root_certificates {
        let certificates = read_certificates(path)?;
        tracing::info!(
            file = %path.display(),
            certificates = certificates.len(),
            "trusting extra root certificates"
        );
        for certificate in certificates {
            builder = builder.add_root_certificate(certificate);
        }
    }
    for (host, address) in &discord.resolve {
        tracing::info!(host, %address, "resolving a host to a fixed address");
        builder = builder.resolve(host, *address);
    }
    builder.build().map_err(HttpClientError::Build)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_and_malformed_certificate_files_are_named() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let missing = dir.path().join("missing.pem");
        let error = read_certificates(&missing).err().map(|e| e.to_string());
        assert!(
            error.as_deref().is_some_and(|e| e.contains("missing.pem")),
            "{error:?}"
        );
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").expect("write");
        let error = read_certificates(&empty).err().map(|e| e.to_string());
        assert!(
            error
                .as_deref()
                .is_some_and(|e| e.contains("empty.pem") && e.contains("PEM")),
            "{error:?}"
        );
    }
}
