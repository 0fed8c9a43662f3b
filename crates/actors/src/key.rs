//! Actor keys: the names under which Palisade remembers a client. A request usually carries
//! several (its address, the address's network, a session, a user, a fingerprint); the engine
//! links the specific ones so evidence against one is evidence against the others.

use ipnet::IpNet;
use std::net::IpAddr;
use std::sync::Arc;

/// How the engine names an actor in state and events. The text form (`ip:…`, `user:…`) is
/// what the admin API and `palisade actors` take and print.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ActorKey {
    Ip(IpAddr),
    /// The address's network (/24 for IPv4, /64 for IPv6 by default).
    Net(IpNet),
    /// Autonomous system number, from the ASN database.
    Asn(u32),
    /// ISO country code, from the country database.
    Country([u8; 2]),
    /// A session cookie or header, stored as a hash: the key must not be a usable secret.
    Session(Arc<str>),
    /// A user name: JWT `sub`, basic-auth user, or the login body's username.
    User(Arc<str>),
    /// An API key, hashed like sessions.
    ApiKey(Arc<str>),
    /// The header-shape fingerprint ([`crate::header_fingerprint`]).
    Fingerprint(Arc<str>),
    /// A key from configuration: `name=value`.
    Custom(Arc<str>),
    /// Everyone at once (a limit that protects an endpoint as a whole).
    Global,
}

impl ActorKey {
    /// The kind, as the prefix of the text form.
    pub fn kind(&self) -> &'static str {
        match self {
            ActorKey::Ip(_) => "ip",
            ActorKey::Net(_) => "net",
            ActorKey::Asn(_) => "asn",
            ActorKey::Country(_) => "cc",
            ActorKey::Session(_) => "session",
            ActorKey::User(_) => "user",
            ActorKey::ApiKey(_) => "apikey",
            ActorKey::Fingerprint(_) => "fp",
            ActorKey::Custom(_) => "custom",
            ActorKey::Global => "global",
        }
    }

    /// Keys that name one client (not a crowd): a threat score on them is that client's.
    /// Networks, ASNs, countries and fingerprints are shared by many real users, so their
    /// evidence only counts through the campaign detectors' ratios, never as a score.
    pub fn is_specific(&self) -> bool {
        matches!(
            self,
            ActorKey::Ip(_)
                | ActorKey::Session(_)
                | ActorKey::User(_)
                | ActorKey::ApiKey(_)
                | ActorKey::Custom(_)
        )
    }

    /// The network of an address at the given prefix lengths.
    pub fn net_of(ip: IpAddr, v4: u8, v6: u8) -> ActorKey {
        let len = if ip.is_ipv4() {
            v4.min(32)
        } else {
            v6.min(128)
        };
        ActorKey::Net(IpNet::new(ip, len).map_or_else(|_| IpNet::from(ip), |n| n.trunc()))
    }

    /// A key for a secret value (session id, API key): a 64-bit hash, so the state and the
    /// admin API never hold the secret itself.
    pub fn hashed(kind: &str, value: &str) -> ActorKey {
        let mut h = String::with_capacity(16);
        crate::decay::push_hex64(&mut h, crate::fnv64(value.as_bytes()));
        match kind {
            "apikey" => ActorKey::ApiKey(Arc::from(h)),
            _ => ActorKey::Session(Arc::from(h)),
        }
    }
}

impl std::fmt::Display for ActorKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ActorKey::Ip(ip) => write!(f, "ip:{ip}"),
            ActorKey::Net(n) => write!(f, "net:{n}"),
            ActorKey::Asn(a) => write!(f, "asn:{a}"),
            ActorKey::Country(c) => write!(f, "cc:{}{}", c[0] as char, c[1] as char),
            ActorKey::Session(s) => write!(f, "session:{s}"),
            ActorKey::User(u) => write!(f, "user:{u}"),
            ActorKey::ApiKey(k) => write!(f, "apikey:{k}"),
            ActorKey::Fingerprint(fp) => write!(f, "fp:{fp}"),
            ActorKey::Custom(c) => write!(f, "custom:{c}"),
            ActorKey::Global => f.write_str("global"),
        }
    }
}

impl std::str::FromStr for ActorKey {
    type Err = String;

    /// `ip:203.0.113.9`, `net:203.0.113.0/24`, `asn:64500`, `cc:FR`, `session:…`, `user:…`,
    /// `apikey:…`, `fp:…`, `custom:name=value`, `global`, or a bare address.
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "{s:?} is not an actor key (ip:, net:, asn:, cc:, session:, user:, apikey:, fp:, custom: or an address)"
            )
        };
        if s == "global" {
            return Ok(ActorKey::Global);
        }
        let text = |v: &str| -> Result<Arc<str>, String> {
            if v.is_empty() {
                Err(bad())
            } else {
                Ok(Arc::from(v))
            }
        };
        match s.split_once(':') {
            Some(("ip", a)) => a.parse().map(ActorKey::Ip).map_err(|_| bad()),
            Some(("net", n)) => n
                .parse::<IpNet>()
                .map(|n| ActorKey::Net(n.trunc()))
                .map_err(|_| bad()),
            Some(("asn", a)) => a
                .trim_start_matches("AS")
                .parse()
                .map(ActorKey::Asn)
                .map_err(|_| bad()),
            Some(("cc", c)) if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) => {
                let b = c.to_ascii_uppercase().into_bytes();
                Ok(ActorKey::Country([b[0], b[1]]))
            }
            Some(("session", v)) => text(v).map(ActorKey::Session),
            Some(("user", v)) => text(v).map(ActorKey::User),
            Some(("apikey", v)) => text(v).map(ActorKey::ApiKey),
            Some(("fp", v)) => text(v).map(ActorKey::Fingerprint),
            Some(("custom", v)) if v.contains('=') => text(v).map(ActorKey::Custom),
            _ => s.parse().map(ActorKey::Ip).map_err(|_| bad()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_form_round_trips() {
        for s in [
            "ip:203.0.113.9",
            "ip:2001:db8::1",
            "net:203.0.113.0/24",
            "asn:64500",
            "cc:FR",
            "session:00ff",
            "user:alice",
            "apikey:abcd",
            "fp:h05abc",
            "custom:tenant=acme",
            "global",
        ] {
            let k: ActorKey = s.parse().unwrap();
            assert_eq!(k.to_string(), s);
        }
        assert_eq!(
            "198.51.100.7".parse::<ActorKey>().unwrap().to_string(),
            "ip:198.51.100.7"
        );
        assert!("user:".parse::<ActorKey>().is_err());
        assert!("cc:FRA".parse::<ActorKey>().is_err());
        assert!("nonsense".parse::<ActorKey>().is_err());
    }

    #[test]
    fn networks_and_hashes() {
        let ip: IpAddr = "203.0.113.77".parse().unwrap();
        assert_eq!(
            ActorKey::net_of(ip, 24, 64).to_string(),
            "net:203.0.113.0/24"
        );
        let v6: IpAddr = "2001:db8:1:2:3::9".parse().unwrap();
        assert_eq!(
            ActorKey::net_of(v6, 24, 64).to_string(),
            "net:2001:db8:1:2::/64"
        );
        let s = ActorKey::hashed("session", "secret-cookie-value");
        assert!(!s.to_string().contains("secret"));
        assert_eq!(s, ActorKey::hashed("session", "secret-cookie-value"));
        assert!(s.is_specific() && !ActorKey::net_of(ip, 24, 64).is_specific());
    }
}
