//! HTTPS for the loopback server, so the bot can run exactly as in
//! production — REST calls to `https://discord.com/api/v10` through
//! serenity's own rate limiter — with `discord.com` resolved to
//! `127.0.0.1:PORT` (`discord.resolve`) and the test authority trusted
//! (`discord.extra_root_certificates`).
//!
//! Each server makes its own certificate authority (a fresh key, valid for
//! nothing but this run) and a certificate for `discord.com` signed by it,
//! then serves the same router as the plain listener over TLS (rustls with
//! ring, HTTP/1.1, as reqwest speaks it without its `http2` feature).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{self, ServerConfig};
use tokio_rustls::TlsAcceptor;

/// The host name the certificate is for.
pub const HOST: &str = "discord.com";

/// A test certificate authority and a server certificate it signed.
pub struct TestAuthority {
    /// The authority's certificate, PEM: what the bot is told to trust.
    pub ca_pem: String,
    /// The server's certificate chain (the leaf), DER.
    pub chain: Vec<CertificateDer<'static>>,
    /// The server's private key.
    pub key: PrivateKeyDer<'static>,
}

impl TestAuthority {
    /// A new authority and a certificate for `hosts` signed by it.
    pub fn new(hosts: &[&str]) -> TestAuthority {
        let ca_key = KeyPair::generate().expect("a CA key");
        let mut ca = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "career-bot loopback test authority");
        ca.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca_cert = ca.self_signed(&ca_key).expect("a self-signed CA");

        let server_key = KeyPair::generate().expect("a server key");
        let names: Vec<String> = hosts.iter().map(|host| host.to_string()).collect();
        let mut server = CertificateParams::new(names).expect("server parameters");
        server
            .distinguished_name
            .push(DnType::CommonName, hosts.first().copied().unwrap_or(HOST));
        let server_cert = server
            .signed_by(&server_key, &ca_cert, &ca_key)
            .expect("a server certificate");
        TestAuthority {
            ca_pem: ca_cert.pem(),
            chain: vec![server_cert.der().clone()],
            key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der())),
        }
    }

    /// A TLS acceptor presenting the server certificate.
    pub fn acceptor(&self) -> TlsAcceptor {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(self.chain.clone(), self.key.clone_key())
            .expect("the server certificate and key match");
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        TlsAcceptor::from(Arc::new(config))
    }
}

/// The HTTPS side of a running server.
pub struct TlsEndpoint {
    /// `127.0.0.1:PORT` of the TLS listener.
    pub addr: std::net::SocketAddr,
    /// Where the authority's certificate is written, for the bot's config.
    pub ca_path: PathBuf,
    _dir: tempfile::TempDir,
}

impl TlsEndpoint {
    /// Writes `authority`'s certificate to a temporary file.
    pub fn new(addr: std::net::SocketAddr, authority: &TestAuthority) -> TlsEndpoint {
        let dir = tempfile::Builder::new()
            .prefix("career-bot-test-ca-")
            .tempdir()
            .expect("temporary directory");
        let ca_path = dir.path().join("test-ca.pem");
        std::fs::write(&ca_path, &authority.ca_pem).expect("write the CA certificate");
        TlsEndpoint {
            addr,
            ca_path,
            _dir: dir,
        }
    }

    /// The CA certificate file.
    pub fn ca_path(&self) -> &Path {
        &self.ca_path
    }
}

/// Accepts TLS connections on `listener` and serves `app` on each, until
/// the runtime stops. A failed handshake drops that connection only.
pub async fn serve(listener: tokio::net::TcpListener, acceptor: TlsAcceptor, app: Router) {
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            continue;
        };
        let acceptor = acceptor.clone();
        let app = app.clone();
        tokio::spawn(async move {
            let Ok(tls) = acceptor.accept(tcp).await else {
                return;
            };
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(tls), TowerToHyperService::new(app))
                .with_upgrades()
                .await;
        });
    }
}
