use std::path::Path;
use std::process::ExitCode;

/// `palisade check`: every error with file and key path, exit 1 if any.
pub fn run(file: &Path) -> ExitCode {
    match palisade_config::load(file) {
        Ok(cfg) => {
            println!(
                "{}: ok ({} upstream{}, {} route{}, {} login endpoint{}, listen {}, admin {})",
                file.display(),
                cfg.upstreams.len(),
                plural(cfg.upstreams.len()),
                cfg.routes.len(),
                plural(cfg.routes.len()),
                cfg.login.len(),
                plural(cfg.login.len()),
                cfg.server.listen,
                cfg.admin.listen,
            );
            if cfg.routes.is_empty() {
                println!("warning: no routes: every request will get 404");
            }
            ExitCode::SUCCESS
        }
        Err(errors) => {
            eprint!("{errors}");
            ExitCode::FAILURE
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
