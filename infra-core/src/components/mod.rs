//! Building blocks: plain Rust components for what every serverless stack repeats, secure by
//! default.
//!
//! A component is a struct and a constructor taking a scope ([`Aws::scope`]), not a macro
//! language: [`Key`] (rotation, a policy that lets the services it encrypts for use it),
//! [`SecureBucket`] (encrypted, versioned, public access blocked, TLS only, access logged),
//! [`Function`] (its role, an encrypted log group with retention, `source_code_hash` from its
//! [`Artifact`], a dead-letter queue, tracing, code signing), [`RestApi`] (stage logging, a WAF
//! web ACL, an API key and a usage plan, routes that keep their own redeployment triggers) and
//! [`Role`] (an identity that grants go to). Each
//! dereferences to the handle of its main resource (`bucket.arn()`, `key.key_id()`), and its
//! parts are public fields for tests and for what it does not cover.
//!
//! Components add their resources through the lazy graph, so they keep changing them after
//! construction: a grant appends a statement to a role's policy, an encrypted log group adds
//! CloudWatch Logs to its key's policy.
//!
//! The newcomer's stack, one region: a key, an encrypted bucket, a function allowed to put
//! objects into it, and the bucket's name as an output.
//!
//! ```
//! use infra_core::{Stack, UsEast1, components::{Artifact, Function, Key, SecureBucket}};
//!
//! let app = Stack::new();
//! let east = app.aws::<UsEast1>("main");
//! let key = Key::new(&east.scope("data"));
//! let bucket = SecureBucket::new(&east.scope("uploads"), &key);
//! let ingest = Function::new(&east.scope("ingest"), &key, Artifact::zip("dist/ingest.zip"));
//! bucket.grant_put(&ingest, "incoming/*");
//! app.output("bucket_name", bucket.name());
//! let doc = app.synth()?;
//! infra_core::testing::assert_valid(&doc); // the schema validator: no problem
//! # Ok::<(), infra_core::SynthError>(())
//! ```

use std::cell::RefCell;

use crate::aws::{data, iam};
use crate::grants::Grantee;
use crate::policy::service::Service;
use crate::policy::{Condition, PolicyDocument, Statement, global};
use crate::refs::{Arn, Node, NodeKind, Ref};
use crate::region::Region;
use crate::resource::Resource;
use crate::stack::{Aws, Stack};
use crate::text::Text;

mod api;
mod bucket;
mod function;
mod key;

pub use api::{RestApi, RestApiConfig};
pub use bucket::{AccessLogBucket, BucketConfig, SecureBucket};
pub use function::{Artifact, Function, FunctionConfig};
pub use key::{Key, KeyConfig};

/// The account ID, read once per provider (`data.aws_caller_identity.<alias>_account`), by
/// the first component that needs it.
#[track_caller]
fn account_id<R: Region>(scope: &Aws<'_, R>) -> Text {
    let provider = scope.provider();
    let node = Node::new(
        NodeKind::Data,
        <data::CallerIdentity as Resource>::TYPE,
        provider.logical_name("account"),
    );
    let existing: Ref<data::CallerIdentity> = Ref::new(node);
    if scope.stack().inspect(&existing, |_| ()).is_some() {
        return existing.account_id();
    }
    provider
        .data("account", data::CallerIdentity::default())
        .account_id()
}

/// A name AWS accepts for a named resource (letters, digits, `-`): the scope's path.
fn aws_name<R: Region>(scope: &Aws<'_, R>) -> String {
    scope.path().replace('_', "-")
}

/// An IAM role for a workload of region `R`, assumed by the service `S` (`service::Lambda`),
/// and the inline policy its grants go to.
///
/// The role is an `iam::Role<S>`: a Lambda function's `role` takes only a
/// `Role<'_, R, service::Lambda>`'s ARN. The policy is created by the first grant (IAM refuses an empty one), in the role's scope;
/// later grants append to it.
///
/// ```
/// use infra_core::{Stack, UsEast1, aws::sqs, components::Role, grants::QueueGrants};
/// use infra_core::policy::service;
/// let stack = Stack::new();
/// let east = stack.aws::<UsEast1>("primary");
/// let jobs = east.add("jobs", sqs::Queue::default());
/// let worker = Role::for_service(&east.scope("worker"), service::Lambda);
/// jobs.grant_consume(&worker);
/// let doc = stack.synth().unwrap();
/// infra_core::testing::assert_trust_has_source_account(&doc, "primary_worker_role");
/// ```
#[derive(Debug)]
pub struct Role<'s, R: Region, S: Service + iam::Trust> {
    scope: Aws<'s, R>,
    /// The role.
    pub role: Ref<iam::Role<S>>,
    /// The account ID (the trust policy's `aws:SourceAccount`).
    pub account_id: Text,
    policy: RefCell<Option<Ref<iam::RolePolicy>>>,
}

impl<'s, R: Region, S: Service + iam::Trust> Role<'s, R, S> {
    /// A role that `service` (`service::Lambda`) may assume on behalf of this account
    /// only (`aws:SourceAccount`), named by its scope (`<scope>_role`).
    #[track_caller]
    pub fn for_service(scope: &Aws<'s, R>, service: S) -> Self {
        let account_id = account_id(scope);
        let description = format!("{} ({})", scope.path(), service.name().render());
        let trust = PolicyDocument::trust(service).condition(Condition::string_equals(
            global::SourceAccount,
            account_id.clone(),
        ));
        let role = scope.add(
            "role",
            iam::Role {
                assume_role_policy: trust,
                opts: iam::RoleOpts {
                    description: Some(description.into()),
                    ..Default::default()
                },
            },
        );
        Self {
            scope: scope.clone(),
            role,
            account_id,
            policy: RefCell::new(None),
        }
    }

    /// The role's ARN.
    pub fn arn(&self) -> Arn<iam::Role<S>> {
        self.role.arn()
    }

    /// The inline policy, once a grant created it.
    pub fn policy(&self) -> Option<Ref<iam::RolePolicy>> {
        self.policy.borrow().clone()
    }
}

impl<R: Region, S: Service + iam::Trust> Grantee<R> for Role<'_, R, S> {
    fn stack(&self) -> &Stack {
        self.scope.stack()
    }

    #[track_caller]
    fn grant(&self, statements: Vec<Statement>) {
        let mut slot = self.policy.borrow_mut();
        match &*slot {
            Some(policy) => self.scope.stack().amend(policy, |p| {
                p.policy = statements
                    .into_iter()
                    .fold(std::mem::take(&mut p.policy), PolicyDocument::statement);
            }),
            None => {
                let policy = statements
                    .into_iter()
                    .fold(PolicyDocument::new(), PolicyDocument::statement);
                *slot = Some(self.scope.add(
                    "policy",
                    iam::RolePolicy {
                        role: self.role.id(),
                        name: self.scope.path().into(),
                        policy,
                        opts: Default::default(),
                    },
                ));
            }
        }
    }
}
