//! Reconciles the users of an EIAM instance with a CSV file, as an HR feed would: the joiner /
//! mover / leaver loop.
//!
//! The CSV has a header and one row per person who should have an account:
//!
//! ```text
//! username,display_name,email,primary_organizational_unit_id,status
//! alice,Alice Liu,alice@example.com,ou_sales,enabled
//! bob,Bob Wang,bob@example.com,ou_support,disabled
//! ```
//!
//! For each row: an account that does not exist is created (and disabled if the row says so); one
//! that exists gets its display name and email updated, is moved to the row's primary
//! organizational unit, and is enabled or disabled as the row says. An enabled account that no
//! row names (a leaver) is disabled, never deleted. Without `--apply` nothing changes: the plan is
//! printed, one change a line. A second run after `--apply` plans nothing.
//!
//! ```text
//! export ALIBABA_CLOUD_ACCESS_KEY_ID=... ALIBABA_CLOUD_ACCESS_KEY_SECRET=...
//! cargo run -p idtok-examples --example reconcile_directory -- \
//!     cn-hangzhou idaas_ue2jvisn35ea5lmthk267xxxxx users.csv            # the plan
//! cargo run -p idtok-examples --example reconcile_directory -- \
//!     cn-hangzhou idaas_ue2jvisn35ea5lmthk267xxxxx users.csv --apply    # carried out
//! ```
//!
//! The tests at the bottom run it against idtok-mock's typed mocks, with a directory whose state
//! the test keeps: the same plan is applied to it, and the second run finds nothing to do.

use std::collections::BTreeMap;
use std::fmt;

use futures::TryStreamExt as _;
use idtok_client::eiam::{Client, ClientContext};
use idtok_client::{call, CallError};
use idtok_runtime::endpoint::{Endpoint, Service};

/// One row of the CSV: an account as it should be.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
struct Wanted {
    username: String,
    display_name: String,
    email: String,
    primary_organizational_unit_id: String,
    status: Status,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
enum Status {
    Enabled,
    Disabled,
}

impl Status {
    /// As EIAM writes it (`Status` of an account).
    fn as_str(self) -> &'static str {
        match self {
            Status::Enabled => "enabled",
            Status::Disabled => "disabled",
        }
    }
}

/// An account as the instance has it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Existing {
    user_id: String,
    username: String,
    display_name: Option<String>,
    email: Option<String>,
    status: Option<String>,
    /// Read with GetUser, for the accounts a row names (ListUsers does not carry it).
    primary_organizational_unit_id: Option<String>,
}

/// One change the reconciliation makes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Change {
    Create(Wanted),
    Update {
        user_id: String,
        username: String,
        display_name: String,
        email: String,
    },
    Move {
        user_id: String,
        username: String,
        organizational_unit_id: String,
    },
    Enable {
        user_id: String,
        username: String,
    },
    Disable {
        user_id: String,
        username: String,
    },
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Create(w) => write!(
                f,
                "create {} ({}, {}) in {}{}",
                w.username,
                w.display_name,
                w.email,
                w.primary_organizational_unit_id,
                if w.status == Status::Disabled {
                    ", disabled"
                } else {
                    ""
                }
            ),
            Change::Update {
                username,
                display_name,
                email,
                ..
            } => write!(f, "update {username}: {display_name}, {email}"),
            Change::Move {
                username,
                organizational_unit_id,
                ..
            } => write!(f, "move {username} to {organizational_unit_id}"),
            Change::Enable { username, .. } => write!(f, "enable {username}"),
            Change::Disable { username, .. } => write!(f, "disable {username}"),
        }
    }
}

/// The rows of the CSV, or what is wrong with it (a row that does not read, a username twice).
fn read_csv(text: &str) -> Result<Vec<Wanted>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut rows: Vec<Wanted> = Vec::new();
    for (i, row) in reader.deserialize::<Wanted>().enumerate() {
        // Line numbers count the header as line 1.
        let row = row.map_err(|e| format!("line {}: {e}", i + 2))?;
        if rows.iter().any(|r| r.username == row.username) {
            return Err(format!("line {}: {} is listed twice", i + 2, row.username));
        }
        rows.push(row);
    }
    Ok(rows)
}

/// Every account of the instance, with the primary organizational unit of those `wanted` names.
async fn directory(
    client: &Client,
    instance_id: &str,
    wanted: &[Wanted],
) -> Result<Vec<Existing>, CallError> {
    let mut users = client
        .list_users()
        .instance_id(instance_id)
        .max_results(100)
        .stream();
    let mut existing = Vec::new();
    while let Some(user) = users.try_next().await? {
        let (Some(user_id), Some(username)) = (user.user_id, user.username) else {
            continue;
        };
        existing.push(Existing {
            user_id,
            username,
            display_name: user.display_name,
            email: user.email,
            status: user.status,
            primary_organizational_unit_id: None,
        });
    }
    for account in &mut existing {
        if !wanted.iter().any(|w| w.username == account.username) {
            continue;
        }
        let detail = call(
            "GetUser",
            client
                .get_user()
                .instance_id(instance_id)
                .user_id(&account.user_id)
                .send(),
        )
        .await?;
        account.primary_organizational_unit_id = detail
            .user
            .and_then(|user| user.organizational_units)
            .unwrap_or_default()
            .into_iter()
            .find(|unit| unit.primary == Some(true))
            .and_then(|unit| unit.organizational_unit_id);
    }
    Ok(existing)
}

/// What to change so that the instance has `wanted`: pure, so a dry run and a test see exactly
/// what `--apply` would do.
fn plan(wanted: &[Wanted], existing: &[Existing]) -> Vec<Change> {
    let by_name: BTreeMap<&str, &Existing> =
        existing.iter().map(|e| (e.username.as_str(), e)).collect();
    let mut changes = Vec::new();
    for w in wanted {
        let Some(e) = by_name.get(w.username.as_str()) else {
            changes.push(Change::Create(w.clone()));
            continue;
        };
        let (user_id, username) = (e.user_id.clone(), e.username.clone());
        if e.display_name.as_deref() != Some(w.display_name.as_str())
            || e.email.as_deref() != Some(w.email.as_str())
        {
            changes.push(Change::Update {
                user_id: user_id.clone(),
                username: username.clone(),
                display_name: w.display_name.clone(),
                email: w.email.clone(),
            });
        }
        if e.primary_organizational_unit_id.as_deref()
            != Some(w.primary_organizational_unit_id.as_str())
        {
            changes.push(Change::Move {
                user_id: user_id.clone(),
                username: username.clone(),
                organizational_unit_id: w.primary_organizational_unit_id.clone(),
            });
        }
        if e.status.as_deref() != Some(w.status.as_str()) {
            changes.push(match w.status {
                Status::Enabled => Change::Enable { user_id, username },
                Status::Disabled => Change::Disable { user_id, username },
            });
        }
    }
    for e in existing {
        let leaver = !wanted.iter().any(|w| w.username == e.username);
        if leaver && e.status.as_deref() == Some(Status::Enabled.as_str()) {
            changes.push(Change::Disable {
                user_id: e.user_id.clone(),
                username: e.username.clone(),
            });
        }
    }
    changes
}

/// Carries out `changes` in order; stops at the first failure, which names the operation.
async fn apply(client: &Client, instance_id: &str, changes: &[Change]) -> Result<(), CallError> {
    for change in changes {
        match change {
            Change::Create(w) => {
                let created = call(
                    "CreateUser",
                    client
                        .create_user()
                        .instance_id(instance_id)
                        .username(&w.username)
                        .display_name(&w.display_name)
                        .email(&w.email)
                        .primary_organizational_unit_id(&w.primary_organizational_unit_id)
                        .send(),
                )
                .await?;
                if w.status == Status::Disabled {
                    let user_id = created.user_id.ok_or_else(|| {
                        CallError::unusable_answer("CreateUser", "the answer has no UserId")
                    })?;
                    disable(client, instance_id, &user_id).await?;
                }
            }
            Change::Update {
                user_id,
                display_name,
                email,
                ..
            } => {
                call(
                    "UpdateUser",
                    client
                        .update_user()
                        .instance_id(instance_id)
                        .user_id(user_id)
                        .display_name(display_name)
                        .email(email)
                        .send(),
                )
                .await?;
            }
            Change::Move {
                user_id,
                organizational_unit_id,
                ..
            } => {
                call(
                    "SetUserPrimaryOrganizationalUnit",
                    client
                        .set_user_primary_organizational_unit()
                        .instance_id(instance_id)
                        .user_id(user_id)
                        .organizational_unit_id(organizational_unit_id)
                        .send(),
                )
                .await?;
            }
            Change::Enable { user_id, .. } => {
                call(
                    "EnableUser",
                    client
                        .enable_user()
                        .instance_id(instance_id)
                        .user_id(user_id)
                        .send(),
                )
                .await?;
            }
            Change::Disable { user_id, .. } => disable(client, instance_id, user_id).await?,
        }
    }
    Ok(())
}

async fn disable(client: &Client, instance_id: &str, user_id: &str) -> Result<(), CallError> {
    call(
        "DisableUser",
        client
            .disable_user()
            .instance_id(instance_id)
            .user_id(user_id)
            .send(),
    )
    .await?;
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (args, apply_changes) = match args.split_last() {
        Some((last, rest)) if last == "--apply" => (rest.to_vec(), true),
        _ => (args, false),
    };
    let [region, instance_id, file] = args.as_slice() else {
        return Err(
            "usage: reconcile_directory <region> <instance id> <users.csv> [--apply]".into(),
        );
    };
    let wanted = read_csv(&std::fs::read_to_string(file)?).map_err(|e| format!("{file}: {e}"))?;
    let endpoint = Endpoint::region(Service::Eiam, region)?;
    let client = Client::from_endpoint(&endpoint, ClientContext::from_environment())?;

    let existing = directory(&client, instance_id, &wanted).await?;
    let changes = plan(&wanted, &existing);
    for change in &changes {
        println!("{change}");
    }
    if changes.is_empty() {
        eprintln!("nothing to do: the instance matches {file}");
    } else if apply_changes {
        apply(&client, instance_id, &changes).await?;
        eprintln!("{} changes made", changes.len());
    } else {
        eprintln!(
            "dry run: {} changes planned; --apply makes them",
            changes.len()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use idtok_mock::eiam::MockServerExt as _;
    use idtok_mock::MockServer;
    use idtok_runtime::credentials::{AlibabaCredentials, StaticCredentials};
    use serde_json::json;

    const INSTANCE: &str = "idaas_ue2jvisn35ea5lmthk267xxxxx";

    fn typed<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
        serde_json::from_value(value).unwrap()
    }

    /// The instance's accounts as the test keeps them: what the typed mocks answer with, and what
    /// a change does to them (as the service would).
    #[derive(Default)]
    struct Directory {
        accounts: Vec<Existing>,
    }

    impl Directory {
        fn account(&mut self, id: &str, name: &str, email: &str, ou: &str, status: &str) {
            self.accounts.push(Existing {
                user_id: id.into(),
                username: name.into(),
                display_name: Some(name.to_uppercase()),
                email: Some(email.into()),
                status: Some(status.into()),
                primary_organizational_unit_id: Some(ou.into()),
            });
        }

        /// ListUsers and GetUser answer with the accounts as they are now.
        fn serve(&self, server: &MockServer) {
            let users: Vec<_> = self
                .accounts
                .iter()
                .map(|a| {
                    json!({"UserId": a.user_id, "Username": a.username,
                           "DisplayName": a.display_name, "Email": a.email, "Status": a.status})
                })
                .collect();
            server.list_users(|when, then| {
                when.instance_id(INSTANCE);
                then.ok(&typed(
                    json!({"RequestId": "R", "TotalCount": users.len(), "Users": users}),
                ));
            });
            for a in &self.accounts {
                server.get_user(|when, then| {
                    when.instance_id(INSTANCE).user_id(&a.user_id);
                    then.ok(&typed(json!({"RequestId": "R", "User": {
                        "UserId": a.user_id, "Username": a.username,
                        "OrganizationalUnits": [
                            {"OrganizationalUnitId": "ou_other", "Primary": false},
                            {"OrganizationalUnitId": a.primary_organizational_unit_id, "Primary": true}
                        ]
                    }})));
                });
            }
        }

        /// The state after `changes`, as the service keeps it.
        fn apply(&mut self, changes: &[Change]) {
            for change in changes {
                match change {
                    Change::Create(w) => self.accounts.push(Existing {
                        user_id: format!("user_{}", w.username),
                        username: w.username.clone(),
                        display_name: Some(w.display_name.clone()),
                        email: Some(w.email.clone()),
                        status: Some(w.status.as_str().into()),
                        primary_organizational_unit_id: Some(
                            w.primary_organizational_unit_id.clone(),
                        ),
                    }),
                    Change::Update {
                        user_id,
                        display_name,
                        email,
                        ..
                    } => {
                        let a = self.by_id(user_id);
                        a.display_name = Some(display_name.clone());
                        a.email = Some(email.clone());
                    }
                    Change::Move {
                        user_id,
                        organizational_unit_id,
                        ..
                    } => {
                        self.by_id(user_id).primary_organizational_unit_id =
                            Some(organizational_unit_id.clone())
                    }
                    Change::Enable { user_id, .. } => {
                        self.by_id(user_id).status = Some("enabled".into())
                    }
                    Change::Disable { user_id, .. } => {
                        self.by_id(user_id).status = Some("disabled".into())
                    }
                }
            }
        }

        fn by_id(&mut self, user_id: &str) -> &mut Existing {
            self.accounts
                .iter_mut()
                .find(|a| a.user_id == user_id)
                .unwrap()
        }
    }

    fn client(server: &MockServer) -> Client {
        let credentials = AlibabaCredentials::new("LTAI5tExampleKeyId", "example-secret");
        Client::from_endpoint(
            &Endpoint::url(&server.base_url()).unwrap(),
            ClientContext::new(StaticCredentials(credentials)),
        )
        .unwrap()
    }

    const CSV: &str = "username,display_name,email,primary_organizational_unit_id,status
alice, Alice Liu ,alice@example.com,ou_sales,enabled
bob,BOB,bob@example.com,ou_support,disabled
carol,Carol Chen,carol@example.com,ou_sales,enabled
";

    #[tokio::test]
    async fn creates_updates_moves_and_disables_then_a_second_run_plans_nothing() {
        let mut state = Directory::default();
        // alice: renamed; bob: moved and to be disabled; dave: a leaver; erin: a leaver already
        // disabled, left alone. carol is new.
        state.account(
            "user_alice",
            "alice",
            "alice@example.com",
            "ou_sales",
            "enabled",
        );
        state.account("user_bob", "bob", "bob@example.com", "ou_sales", "enabled");
        state.account(
            "user_dave",
            "dave",
            "dave@example.com",
            "ou_sales",
            "enabled",
        );
        state.account(
            "user_erin",
            "erin",
            "erin@example.com",
            "ou_sales",
            "disabled",
        );
        let wanted = read_csv(CSV).unwrap();

        let server = MockServer::start_async().await;
        state.serve(&server);
        let client = client(&server);
        let changes = plan(
            &wanted,
            &directory(&client, INSTANCE, &wanted).await.unwrap(),
        );
        let lines: Vec<String> = changes.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "update alice: Alice Liu, alice@example.com",
                "move bob to ou_support",
                "disable bob",
                "create carol (Carol Chen, carol@example.com) in ou_sales",
                "disable dave",
            ]
        );

        // --apply: each change is one call, with the row's values.
        let create = server.create_user(|when, then| {
            when.instance_id(INSTANCE)
                .username("carol")
                .display_name("Carol Chen")
                .email("carol@example.com")
                .primary_organizational_unit_id("ou_sales");
            then.ok(&typed(json!({"RequestId": "R", "UserId": "user_carol"})));
        });
        let update = server.update_user(|when, then| {
            when.instance_id(INSTANCE)
                .user_id("user_alice")
                .display_name("Alice Liu")
                .email("alice@example.com");
            then.ok(&typed(json!({"RequestId": "R"})));
        });
        let moved = server.set_user_primary_organizational_unit(|when, then| {
            when.instance_id(INSTANCE)
                .user_id("user_bob")
                .organizational_unit_id("ou_support");
            then.ok(&typed(json!({"RequestId": "R"})));
        });
        let disabled: Vec<_> = ["user_bob", "user_dave"]
            .map(|id| {
                server.disable_user(|when, then| {
                    when.instance_id(INSTANCE).user_id(id);
                    then.ok(&typed(json!({"RequestId": "R"})));
                })
            })
            .into();
        apply(&client, INSTANCE, &changes).await.unwrap();
        create.assert_async().await;
        update.assert_async().await;
        moved.assert_async().await;
        for mock in &disabled {
            mock.assert_async().await;
        }

        // The second run sees the directory as the first left it, and plans nothing.
        state.apply(&changes);
        server.reset_async().await;
        state.serve(&server);
        let again = plan(
            &wanted,
            &directory(&client, INSTANCE, &wanted).await.unwrap(),
        );
        assert_eq!(again, []);
    }

    #[test]
    fn a_csv_row_that_does_not_read_or_repeats_a_username_is_refused_with_its_line() {
        let bad_status =
            "username,display_name,email,primary_organizational_unit_id,status\na,A,a@x,ou,gone\n";
        assert!(read_csv(bad_status).unwrap_err().starts_with("line 2:"));
        let twice = format!("{CSV}alice,A,a@x,ou,enabled\n");
        assert_eq!(
            read_csv(&twice).unwrap_err(),
            "line 5: alice is listed twice"
        );
    }
}
