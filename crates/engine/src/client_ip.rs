use http::HeaderMap;
use ipnet::IpNet;
use std::net::IpAddr;

/// The client's address: the socket peer, unless the peer is a trusted proxy, in which case
/// the right-most X-Forwarded-For entry not itself trusted. Untrusted peers cannot spoof it.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    if trusted.is_empty() || !trusted.iter().any(|n| n.contains(&peer)) {
        return peer;
    }
    let mut candidate = peer;
    for value in headers.get_all("x-forwarded-for").iter().rev() {
        let Ok(text) = value.to_str() else {
            return candidate;
        };
        for part in text.rsplit(',') {
            match part.trim().parse::<IpAddr>() {
                Ok(ip) if trusted.iter().any(|n| n.contains(&ip)) => candidate = ip,
                Ok(ip) => return ip,
                Err(_) => return candidate,
            }
        }
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_only_from_trusted_peers() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "198.51.100.9, 10.0.0.2".parse().unwrap());
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let peer: IpAddr = "10.0.0.1".parse().unwrap();
        assert_eq!(
            client_ip(peer, &h, &trusted),
            "198.51.100.9".parse::<IpAddr>().unwrap()
        );
        let outsider: IpAddr = "203.0.113.5".parse().unwrap();
        assert_eq!(client_ip(outsider, &h, &trusted), outsider);
        assert_eq!(client_ip(peer, &h, &[]), peer);
    }
}
