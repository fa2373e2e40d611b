//! The chorus command: the local server and its helpers.

use chorus::auth::dev::DevTokens;
use chorus::config::Config;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "chorus", about = "Group messaging GraphQL server")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve GraphQL, GraphiQL and subscriptions (the default).
    Serve,
    /// Print a bearer token the local server accepts.
    DevToken {
        user_id: String,
        #[arg(long)]
        name: Option<String>,
    },
    /// Apply the Neo4j constraints and indexes (needs NEO4J_URI); idempotent.
    Migrate,
    /// Print a new VAPID key pair for Web Push (base64url).
    VapidKeys,
    /// Write the schema SDL (default: schema.graphql; `-` for stdout).
    ExportSchema {
        #[arg(default_value = "schema.graphql")]
        path: String,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    chorus::telemetry::init();
    let config = Config::from_env()?;
    match Cli::parse().command.unwrap_or(Command::Serve) {
        Command::Serve => chorus::app::serve(config).await,
        Command::Migrate => chorus::app::migrate(&config).await,
        Command::VapidKeys => {
            let (public, private) = chorus::delivery::webpush::generate_vapid_keys()?;
            println!("VAPID_PUBLIC_KEY={public}\nVAPID_PRIVATE_KEY={private}");
            eprintln!(
                "keep the private key secret (Secrets Manager); give the public key to clients"
            );
            Ok(())
        }
        Command::DevToken { user_id, name } => {
            let secret = config
                .dev_secret
                .ok_or_else(|| anyhow::anyhow!("dev tokens are off: set CHORUS_DEV_SECRET"))?;
            let name = name.unwrap_or_else(|| user_id.clone());
            println!("{}", DevTokens::new(secret).issue(&user_id, &name)?);
            Ok(())
        }
        Command::ExportSchema { path } if path == "-" => {
            print!("{}", chorus::graphql::sdl());
            Ok(())
        }
        Command::ExportSchema { path } => {
            std::fs::write(&path, chorus::graphql::sdl())?;
            eprintln!("wrote {path}");
            Ok(())
        }
    }
}
