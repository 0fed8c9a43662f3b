//! `palisade`: the command line. `run` serves a configuration, `check` validates one,
//! `demo` starts a sample API with Palisade in front of it.

mod check;
mod demo;
mod eval;
mod explain;
mod run;

use clap::{Parser, Subcommand};

/// mimalloc instead of glibc malloc: the request path allocates small, short-lived buffers
/// on every worker, which glibc serves with locks and consolidation passes (about a tenth of
/// the proxy's user time in profiles); mimalloc keeps them thread-local.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "palisade",
    version,
    about = "Inline API threat-prevention proxy"
)]
struct Cli {
    /// Log format on stderr.
    #[arg(long, global = true, default_value = "text", value_parser = ["text", "json"])]
    log_format: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve traffic with a configuration file (reloads on change, SIGHUP, or the admin API).
    Run {
        #[arg(long, short)]
        config: PathBuf,
    },
    /// Validate a configuration file and list every error; exits non-zero if there are any.
    Check {
        #[arg(long, short)]
        config: PathBuf,
    },
    /// Run labelled corpora (JSON lines) through the engine; print TPR and FPR per category.
    Eval {
        #[arg(long, short)]
        config: Option<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// Print up to N missed attacks and N false positives per category.
        #[arg(long, default_value_t = 0)]
        misses: usize,
        /// Replay over HTTP against a running proxy (e.g. http://127.0.0.1:8080) instead.
        #[arg(long)]
        via: Option<String>,
        /// CRS lines: request side only, attacks expected at paranoia ≤ N, benign lines not
        /// suggested to be attacks.
        #[arg(long)]
        crs_pl: Option<u64>,
        /// Corpus files (JSON lines).
        #[arg(required = true)]
        corpora: Vec<PathBuf>,
    },
    /// Explain one request: every signal, every policy that matched, the actor state read,
    /// and the final decision.
    Explain {
        #[arg(long, short)]
        config: Option<PathBuf>,
        /// Client address to judge the request as (default 10.0.0.1).
        #[arg(long)]
        ip: Option<String>,
        #[arg(long)]
        json: bool,
        /// The request as JSON: {"method", "path", "headers": [[name, value]...], "body"}
        /// (the corpus line format).
        request: PathBuf,
    },
    /// List the loaded policies with id, category, mode, action and hit counts.
    Policies {
        #[arg(long, short)]
        config: Option<PathBuf>,
        #[arg(long)]
        json: bool,
        /// Ask a running instance's admin API (e.g. http://127.0.0.1:9090) for live hit counts.
        #[arg(long)]
        admin: Option<String>,
        /// Admin token (or PALISADE_ADMIN_TOKEN).
        #[arg(long)]
        token: Option<String>,
    },
    /// List the loaded CVE virtual patches; with --test, run each patch's own test requests
    /// through the engine and exit non-zero if any fails.
    Patches {
        #[arg(long, short)]
        config: Option<PathBuf>,
        #[arg(long)]
        json: bool,
        #[arg(long)]
        test: bool,
    },
    /// List a running instance's actors by threat level, or show one actor's evidence trail.
    Actors {
        /// The running instance's admin API.
        #[arg(long, default_value = "http://127.0.0.1:9090")]
        admin: String,
        /// Admin token (or PALISADE_ADMIN_TOKEN).
        #[arg(long)]
        token: Option<String>,
        /// Only actors at this level or above: none, low, medium, high, critical.
        #[arg(long)]
        level: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        json: bool,
        /// One actor key (ip:…, user:…, session:…, fp:…, net:…): its evidence trail.
        key: Option<String>,
    },
    /// Start a sample API with Palisade in front of it, on the default policies.
    Demo {
        /// Proxy listen address.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// Admin listen address.
        #[arg(long, default_value = "127.0.0.1:9090")]
        admin: String,
    },
}

fn init_logs(format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("PALISADE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let b = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if format == "json" {
        b.json().init();
    } else {
        b.init();
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logs(&cli.log_format);
    let result = match cli.command {
        Command::Check { config } => return check::run(&config),
        Command::Run { config } => match palisade_config::load(&config) {
            Ok(cfg) => run::block_on(run::serve(cfg, Some(config), run::Banner::Plain)),
            Err(errors) => {
                eprint!("{errors}");
                return ExitCode::from(2);
            }
        },
        Command::Demo { listen, admin } => demo::run(&listen, &admin),
        Command::Explain {
            config,
            ip,
            json,
            request,
        } => explain::explain(config, &request, ip, json),
        Command::Actors {
            admin,
            token,
            level,
            limit,
            json,
            key,
        } => explain::actors(&admin, token, level, limit, key, json),
        Command::Policies {
            config,
            json,
            admin,
            token,
        } => explain::policies(config, json, admin, token),
        Command::Patches { config, json, test } => explain::patches(config, json, test),
        Command::Eval {
            config,
            json,
            misses,
            via,
            crs_pl,
            corpora,
        } => eval::run(eval::Options {
            config,
            json,
            misses,
            via,
            crs_pl,
            corpora,
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// GET a JSON document from the admin API with the bearer token.
fn http_get_json(url: &str, token: &str) -> anyhow::Result<serde_json::Value> {
    use http_body_util::BodyExt;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let client =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build_http::<http_body_util::Empty<bytes::Bytes>>();
        let req = http::Request::get(url)
            .header(http::header::AUTHORIZATION, format!("Bearer {token}"))
            .body(http_body_util::Empty::new())?;
        let resp = client
            .request(req)
            .await
            .map_err(|e| anyhow::anyhow!("{url}: {e}"))?;
        let status = resp.status();
        let body = resp.into_body().collect().await?.to_bytes();
        if !status.is_success() {
            anyhow::bail!("{url}: {status}: {}", String::from_utf8_lossy(&body));
        }
        Ok(serde_json::from_slice(&body)?)
    })
}
