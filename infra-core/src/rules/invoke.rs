//! `IC-LAMBDA-001`: an API Gateway permission is scoped to an API that integrates the function.
//!
//! The types build a permission for API Gateway from the integration that calls the function
//! (`lambda::Permission::api_gateway(api.lambda_proxy(method.target(), &function).route(..))`),
//! so it names that integration's API and function. What the types cannot see is that `method`
//! is a method of `api` (the methods of every API of a region have the same type): that the API
//! named is the one whose integration calls the function is checked here, at synth. Scoped to
//! another API, the permission lets that API invoke the function, and the API that integrates
//! it gets `500`s.

use super::{Check, Model, Resource, Rule};

/// The rules of this module.
pub(crate) const RULES: [Rule; 1] = [Rule::new(
    "IC-LAMBDA-001",
    "an API Gateway permission is scoped to an API that integrates the function",
    api_permission_scope,
)];

/// How many `rest_api_id` hops lead from an integration to its API (integration → method →
/// API, or a direct reference).
const MAX_HOPS: usize = 4;

/// The API a resource of an API (an integration, a method) belongs to, following its
/// `rest_api_id` through the resources that carry it.
fn api_of<'m, 'd>(model: &'m Model<'d>, resource: &'m Resource<'d>) -> Option<&'m Resource<'d>> {
    let mut current = resource;
    for _ in 0..MAX_HOPS {
        let next = model
            .referenced(current.arg("rest_api_id"))
            .into_iter()
            .next()?;
        if next.type_name() == "aws_api_gateway_rest_api" {
            return Some(next);
        }
        current = next;
    }
    None
}

fn api_permission_scope(model: &Model<'_>, check: &mut Check) {
    for permission in model.of_type("aws_lambda_permission") {
        if permission.literal("principal").as_deref() != Some("apigateway.amazonaws.com") {
            continue;
        }
        let api = model.target(permission.arg("source_arn"), "aws_api_gateway_rest_api");
        let function = model.target(permission.arg("function_name"), "aws_lambda_function");
        let (Some(api), Some(function)) = (api, function) else {
            continue;
        };
        check.checked(permission);
        let integrated = model.of_type("aws_api_gateway_integration").any(|i| {
            model
                .target(i.arg("uri"), "aws_lambda_function")
                .is_some_and(|f| f.address() == function.address())
                && api_of(model, i).is_some_and(|a| a.address() == api.address())
        });
        if !integrated {
            check.fail(
                permission,
                "source_arn",
                format!(
                    "lets `{}` invoke `{}`, but no integration of that API calls the function: build the integration and the permission from the method's own API, `api.lambda_proxy(method.target(), &function)`",
                    api.address(),
                    function.address()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{doc, failures};
    use super::*;
    use serde_json::{Value, json};

    /// Two APIs; `api` integrates the function through its method; the permission is scoped
    /// to `scoped_to`.
    fn stack(scoped_to: &str) -> Value {
        doc(json!({
            "aws_lambda_function": {"f": {"provider": "aws.primary", "function_name": "f"}},
            "aws_api_gateway_rest_api": {
                "api": {"provider": "aws.primary", "name": "api"},
                "other": {"provider": "aws.primary", "name": "other"}
            },
            "aws_api_gateway_method": {"post": {"provider": "aws.primary",
                "rest_api_id": "${aws_api_gateway_rest_api.api.id}"}},
            "aws_api_gateway_integration": {"post": {"provider": "aws.primary",
                "rest_api_id": "${aws_api_gateway_method.post.rest_api_id}",
                "uri": "${aws_lambda_function.f.invoke_arn}"}},
            "aws_lambda_permission": {"invoke": {"provider": "aws.primary",
                "function_name": "${aws_lambda_function.f.function_name}",
                "principal": "apigateway.amazonaws.com",
                "source_arn": format!("${{aws_api_gateway_rest_api.{scoped_to}.execution_arn}}/v1/*/*")}}
        }))
    }

    #[test]
    fn a_permission_scoped_to_the_integrating_api_passes() {
        assert_eq!(failures(&stack("api"), &RULES), []);
    }

    #[test]
    fn a_permission_scoped_to_another_api_of_the_region_fails() {
        let found = failures(&stack("other"), &RULES);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].rule, "IC-LAMBDA-001");
        assert_eq!(found[0].address, "aws_lambda_permission.invoke");
        assert_eq!(found[0].argument, "source_arn");
        let message = &found[0].message;
        assert!(
            message.contains("aws_api_gateway_rest_api.other"),
            "{message}"
        );
    }

    /// The mistake the types let through: a proxy built from another API than the method's
    /// (both are `RestApi<UsEast1>`), so it compiles, and synth refuses it.
    #[test]
    fn synth_refuses_a_typed_permission_for_the_other_api() {
        use crate::aws::{apigateway as apigw, iam, lambda};
        use crate::policy::{PolicyDocument, service};
        use crate::{Stack, StackProblem, SynthError, UsEast1};
        let synth = |scoped_to_other: bool| {
            let stack = Stack::new();
            let east = stack.aws::<UsEast1>("primary");
            let role = east.add(
                "exec",
                iam::Role {
                    assume_role_policy: PolicyDocument::trust(service::Lambda),
                    opts: iam::RoleOpts::default(),
                },
            );
            let function = east.add(
                "f",
                lambda::Function {
                    function_name: "f".into(),
                    role: role.arn(),
                    opts: lambda::FunctionOpts::default(),
                },
            );
            let api = east.add(
                "api",
                apigw::RestApi {
                    name: "api".into(),
                    opts: Default::default(),
                },
            );
            let other = east.add(
                "other",
                apigw::RestApi {
                    name: "other".into(),
                    opts: Default::default(),
                },
            );
            let method = east.add(
                "post",
                apigw::Method {
                    rest_api_id: api.id(),
                    resource_id: api.root_resource_id(),
                    http_method: apigw::HttpMethod::Post,
                    authorization: apigw::Authorization::None,
                    opts: Default::default(),
                },
            );
            // The method is `api`'s; the proxy is built from `other` in the mistaken case.
            let scope = if scoped_to_other { &other } else { &api };
            let proxy = scope.lambda_proxy(method.target(), &function);
            east.add("post", proxy.integration());
            east.add(
                "invoke",
                lambda::Permission::api_gateway(proxy.route("v1", "*", "*"), Default::default()),
            );
            stack.synth().map(|_| ())
        };
        let rules_of = |result: Result<(), SynthError>| match result {
            Ok(()) => Vec::new(),
            Err(SynthError::Invalid(problems)) => problems
                .into_iter()
                .filter_map(|p| match p {
                    StackProblem::Rule(f) => Some(f.rule),
                    _ => None,
                })
                .collect(),
            Err(other) => panic!("{other:?}"),
        };
        assert!(!rules_of(synth(false)).contains(&"IC-LAMBDA-001"));
        assert!(rules_of(synth(true)).contains(&"IC-LAMBDA-001"));
    }
}
