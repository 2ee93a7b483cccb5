//! What the generated IAM actions (`infra_core::iam`) add to [`Action`]: an access level, the
//! unscoped class (actions that support only `*`), and statements whose actions are of several
//! classes (a tuple of actions acts on what every one of them acts on).

use super::{Action, ActsOn, PolicyDocument, Statement};
use crate::text::Text;

/// An action's access level, as AWS's Service Authorization Reference classifies it; for the
/// actions AWS puts in two (`Tagging, Write`), the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AccessLevel {
    /// Lists resources (`s3:ListAllMyBuckets`).
    List,
    /// Reads a resource or its data (`s3:GetObject`).
    Read,
    /// Creates, changes or deletes (`s3:PutObject`).
    Write,
    /// Changes only tags (`sqs:TagQueue`).
    Tagging,
    /// Changes who may do what (`iam:AttachRolePolicy`, `kms:CreateGrant`).
    PermissionsManagement,
}

/// A class of actions that support only `*` as their resource (every generated module's
/// `UnscopedActions`): [`Statement::allow_unscoped`] grants them without a reason, since there
/// is nothing narrower to grant.
#[diagnostic::on_unimplemented(
    message = "`{Self}` are resource-scoped actions: grant them on typed ARNs",
    label = "not an action that supports only `*`",
    note = "`allow_unscoped` takes only actions that support no resource but `*` (`xray::PutTraceSegments`); pass ARNs with `allow`, or use `allow_any_resource(actions, because(\"why\"))`"
)]
pub trait Unscoped {}

/// The actions of one statement: an array of actions of one class, or a tuple of actions of
/// several classes (up to six), which acts on what every one of them acts on.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a list of IAM actions",
    note = "pass an array of actions of one class (`[sqs::SendMessage, sqs::GetQueueUrl]`), or a tuple when their classes differ (`(s3::GetReplicationConfiguration, s3::ListBucket)`)"
)]
pub trait Actions<On> {
    /// The action names, in order.
    fn names(&self) -> Vec<&'static str>;
}

impl<On, const N: usize> Actions<On> for [Action<On>; N] {
    fn names(&self) -> Vec<&'static str> {
        self.iter().map(Action::name).collect()
    }
}

macro_rules! tuple_actions {
    ($($class:ident . $i:tt),+) => {
        impl<$($class),+> Actions<($($class,)+)> for ($(Action<$class>,)+) {
            fn names(&self) -> Vec<&'static str> {
                vec![$(self.$i.name()),+]
            }
        }
        impl<K, $($class: ActsOn<K>),+> ActsOn<K> for ($($class,)+) {}
        impl<$($class: Unscoped),+> Unscoped for ($($class,)+) {}
    };
}
tuple_actions!(A.0, B.1);
tuple_actions!(A.0, B.1, C.2);
tuple_actions!(A.0, B.1, C.2, D.3);
tuple_actions!(A.0, B.1, C.2, D.3, E.4);
tuple_actions!(A.0, B.1, C.2, D.3, E.4, F.5);

impl<On> Action<On> {
    /// Implementation of [`action!`](crate::action) with an access level (the generated
    /// actions); only called inside its `const` block.
    #[doc(hidden)]
    pub const fn __leveled(name: &'static str, level: AccessLevel) -> Self {
        let mut action = Self::__checked(name);
        action.level = Some(level);
        action
    }

    /// The access level AWS gives the action; `None` for an action written without one.
    ///
    /// ```
    /// use infra_core::{aws::sqs, policy::AccessLevel};
    /// assert_eq!(sqs::SendMessage.access_level(), Some(AccessLevel::Write));
    /// assert_eq!(sqs::TagQueue.access_level(), Some(AccessLevel::Tagging));
    /// ```
    pub const fn access_level(&self) -> Option<AccessLevel> {
        self.level
    }
}

impl Statement {
    /// Allows actions that support only `*` (`"Resource": "*"`); there is nothing narrower to
    /// grant, so no reason is asked for. Resource-scoped actions are refused: grant those on
    /// their ARNs.
    ///
    /// ```
    /// use infra_core::{aws::xray, policy::Statement};
    /// let s = Statement::allow_unscoped([xray::PutTraceSegments, xray::PutTelemetryRecords]);
    /// # let _ = s;
    /// ```
    ///
    /// ```compile_fail
    /// use infra_core::{aws::sqs, policy::Statement};
    /// let s = Statement::allow_unscoped([sqs::SendMessage]);
    /// ```
    pub fn allow_unscoped<On: Unscoped>(actions: impl Actions<On>) -> Self {
        Self::with(
            super::Effect::Allow,
            actions.names(),
            Some(vec![Text::from("*")]),
        )
    }
}

impl PolicyDocument {
    /// Allows actions that support only `*`; see [`Statement::allow_unscoped`].
    pub fn allow_unscoped<On: Unscoped>(self, actions: impl Actions<On>) -> Self {
        self.statement(Statement::allow_unscoped(actions))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Arn;

    enum Tables {}
    enum Indexes {}
    struct Table;
    struct Index;
    impl ActsOn<Table> for Tables {}
    impl ActsOn<Table> for Indexes {}
    impl ActsOn<Index> for Indexes {}
    enum Traces {}
    impl Unscoped for Traces {}

    #[test]
    fn a_tuple_of_classes_acts_on_what_all_of_them_act_on() {
        const GET: Action<Tables> = crate::action!("svc:Get", level = Read);
        const QUERY: Action<Indexes> = crate::action!("svc:Query", level = List);
        let table: Arn<Table> = Arn::from_text(Text::expression("aws_t.t.arn"));
        let doc = PolicyDocument::new().allow((GET, QUERY), table);
        assert!(
            doc.to_json()
                .contains(r#""Action":["svc:Get","svc:Query"]"#),
            "{}",
            doc.to_json()
        );
        assert_eq!(GET.access_level(), Some(AccessLevel::Read));
        let unleveled: Action<Tables> = crate::action!("svc:X");
        assert_eq!(unleveled.access_level(), None);
    }

    #[test]
    fn unscoped_actions_are_granted_on_star_without_a_reason() {
        const PUT: Action<Traces> = crate::action!("svc:Put", level = Write);
        let doc = PolicyDocument::new().allow_unscoped([PUT]);
        assert_eq!(
            doc.to_json(),
            r#"{"Statement":[{"Action":["svc:Put"],"Effect":"Allow","Resource":"*"}],"Version":"2012-10-17"}"#
        );
    }
}
