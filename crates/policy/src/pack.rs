//! The predefined policy pack, embedded in the binary. One file per family; every policy
//! carries its own test cases (`tests.act` / `tests.pass`), run by `crates/engine/tests/pack.rs`.

pub const FILES: &[(&str, &str)] = &[
    ("core.yaml", include_str!("../pack/core.yaml")),
    ("lists.yaml", include_str!("../pack/lists.yaml")),
    ("web.yaml", include_str!("../pack/web.yaml")),
    ("injection.yaml", include_str!("../pack/injection.yaml")),
    ("api.yaml", include_str!("../pack/api.yaml")),
    ("ato.yaml", include_str!("../pack/ato.yaml")),
    ("bot.yaml", include_str!("../pack/bot.yaml")),
    ("dos.yaml", include_str!("../pack/dos.yaml")),
    ("protocol.yaml", include_str!("../pack/protocol.yaml")),
    ("behaviour.yaml", include_str!("../pack/behaviour.yaml")),
    (
        "exfiltration.yaml",
        include_str!("../pack/exfiltration.yaml"),
    ),
];

/// Lists the pack refers to; a configuration that does not declare them gets them empty.
pub const LISTS: &[(&str, crate::expr::ListKind)] = &[
    ("allow-ips", crate::expr::ListKind::Ip),
    ("deny-ips", crate::expr::ListKind::Ip),
    ("threat-intel", crate::expr::ListKind::Ip),
    ("deny-api-keys", crate::expr::ListKind::Str),
    ("deny-fingerprints", crate::expr::ListKind::Str),
    ("attack-fingerprints", crate::expr::ListKind::Str),
    ("deny-users", crate::expr::ListKind::Str),
    ("deny-countries", crate::expr::ListKind::Str),
];
