//! Country and ASN of the client from MaxMind-format `.mmdb` files (GeoLite2/GeoIP2 Country
//! and ASN, or any database with the same record shape). Users bring their own files:
//! MaxMind's licence does not let Palisade ship them.

use maxminddb::{geoip2, Reader};
use std::net::IpAddr;
use std::path::Path;

/// What the databases say about one address; empty when they say nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GeoInfo {
    /// ISO 3166-1 alpha-2, upper case; zeros when unknown.
    code: [u8; 2],
    pub asn: u32,
}

impl GeoInfo {
    pub fn country(&self) -> &str {
        if self.code == [0, 0] {
            ""
        } else {
            std::str::from_utf8(&self.code).unwrap_or("")
        }
    }
}

pub struct Geo {
    country: Option<Reader<Vec<u8>>>,
    asn: Option<Reader<Vec<u8>>>,
}

impl Geo {
    /// Opens the databases; the error names the file.
    pub fn open(country: Option<&Path>, asn: Option<&Path>) -> Result<Geo, String> {
        let open = |p: &Path| {
            Reader::open_readfile(p)
                .map_err(|e| format!("{}: not a readable .mmdb: {e}", p.display()))
        };
        Ok(Geo {
            country: country.map(open).transpose()?,
            asn: asn.map(open).transpose()?,
        })
    }

    pub fn lookup(&self, ip: IpAddr) -> GeoInfo {
        let mut info = GeoInfo::default();
        if let Some(r) = &self.country {
            let rec = r
                .lookup(ip)
                .ok()
                .and_then(|res| res.decode::<geoip2::Country>().ok().flatten());
            if let Some(rec) = rec {
                let iso = rec.country.iso_code.or(rec.registered_country.iso_code);
                if let Some(code) = iso.filter(|c| c.len() == 2) {
                    let b = code.as_bytes();
                    info.code = [b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()];
                }
            }
        }
        if let Some(r) = &self.asn {
            let rec = r
                .lookup(ip)
                .ok()
                .and_then(|res| res.decode::<geoip2::Asn>().ok().flatten());
            if let Some(n) = rec.and_then(|a| a.autonomous_system_number) {
                info.asn = n;
            }
        }
        info
    }
}

/// Test support: writes small Country and ASN databases (`mmdb-writer`), so tests never
/// download GeoLite2. `countries` and `asns` map CIDRs to an ISO code or an AS number.
#[cfg(any(test, feature = "test-mmdb"))]
pub mod testdb {
    #[derive(serde::Serialize)]
    struct Country<'a> {
        iso_code: &'a str,
    }
    #[derive(serde::Serialize)]
    struct CountryRec<'a> {
        country: Country<'a>,
    }
    #[derive(serde::Serialize)]
    struct AsnRec<'a> {
        autonomous_system_number: u32,
        autonomous_system_organization: &'a str,
    }

    pub fn country_db(countries: &[(&str, &str)]) -> Vec<u8> {
        let mut w = mmdb_writer::Writer::new("GeoLite2-Country");
        for (net, iso) in countries {
            let rec = CountryRec {
                country: Country { iso_code: iso },
            };
            w.insert(net.parse::<ipnet::IpNet>().expect("test CIDR"), &rec)
                .expect("insert");
        }
        w.to_bytes().expect("mmdb bytes")
    }

    pub fn asn_db(asns: &[(&str, u32)]) -> Vec<u8> {
        let mut w = mmdb_writer::Writer::new("GeoLite2-ASN");
        for (net, n) in asns {
            let rec = AsnRec {
                autonomous_system_number: *n,
                autonomous_system_organization: "Test AS",
            };
            w.insert(net.parse::<ipnet::IpNet>().expect("test CIDR"), &rec)
                .expect("insert");
        }
        w.to_bytes().expect("mmdb bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_databases_are_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let c = dir.path().join("c.mmdb");
        let a = dir.path().join("a.mmdb");
        std::fs::write(
            &c,
            testdb::country_db(&[("127.0.0.66/32", "kp"), ("192.0.2.0/24", "FR")]),
        )
        .unwrap();
        std::fs::write(&a, testdb::asn_db(&[("192.0.2.0/24", 64500)])).unwrap();
        let geo = Geo::open(Some(&c), Some(&a)).unwrap();
        let g = geo.lookup("127.0.0.66".parse().unwrap());
        assert_eq!(g.country(), "KP");
        let g = geo.lookup("192.0.2.9".parse().unwrap());
        assert_eq!((g.country(), g.asn), ("FR", 64500));
        assert_eq!(
            geo.lookup("198.51.100.1".parse().unwrap()),
            GeoInfo::default()
        );
        let bad = dir.path().join("bad.mmdb");
        std::fs::write(&bad, b"nope").unwrap();
        assert!(Geo::open(Some(&bad), None)
            .err()
            .unwrap()
            .contains("bad.mmdb"));
    }
}
