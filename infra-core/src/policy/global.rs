//! The global condition keys (`aws:…`), which a statement of any service may use. AWS lists
//! them in its "global condition context keys" reference rather than per service, so they are
//! written here, each with its value type; the service keys are generated
//! (`infra_core::iam::<prefix>::conditions`).

#![allow(non_upper_case_globals, non_snake_case)] // Keys are named exactly as AWS names them.

use super::{ConditionKey, Global, key_type};

/// `aws:CalledVia` (ArrayOfString): the services that made the request on the principal's behalf, in order.
pub const CalledVia: ConditionKey<Global, key_type::StringList> =
    ConditionKey::__new("aws:CalledVia");
/// `aws:CalledViaFirst` (String): the first service that made the request on the principal's behalf.
pub const CalledViaFirst: ConditionKey<Global, key_type::StringValue> =
    ConditionKey::__new("aws:CalledViaFirst");
/// `aws:CalledViaLast` (String): the last service that made the request on the principal's behalf.
pub const CalledViaLast: ConditionKey<Global, key_type::StringValue> =
    ConditionKey::__new("aws:CalledViaLast");
/// `aws:CurrentTime` (Date): the date and time of the request.
pub const CurrentTime: ConditionKey<Global, key_type::DateValue> =
    ConditionKey::__new("aws:CurrentTime");
/// `aws:EpochTime` (Date): the date and time of the request, in epoch seconds.
pub const EpochTime: ConditionKey<Global, key_type::DateValue> =
    ConditionKey::__new("aws:EpochTime");
/// `aws:FederatedProvider` (String): the identity provider that issued the principal's credentials.
pub const FederatedProvider: ConditionKey<Global, key_type::StringValue> =
    ConditionKey::__new("aws:FederatedProvider");
/// `aws:MultiFactorAuthAge` (Numeric): seconds since the principal authenticated with MFA.
pub const MultiFactorAuthAge: ConditionKey<Global, key_type::NumericValue> =
    ConditionKey::__new("aws:MultiFactorAuthAge");
/// `aws:MultiFactorAuthPresent` (Bool): whether the principal authenticated with MFA.
pub const MultiFactorAuthPresent: ConditionKey<Global, key_type::BoolValue> =
    ConditionKey::__new("aws:MultiFactorAuthPresent");
/// `aws:PrincipalAccount` (String): the account of the requesting principal.
pub const PrincipalAccount: ConditionKey<Global, key_type::StringValue> =
    ConditionKey::__new("aws:PrincipalAccount");
/// `aws:PrincipalArn` (Arn): the ARN of the requesting principal.
pub const PrincipalArn: ConditionKey<Global, key_type::ArnValue> =
    ConditionKey::__new("aws:PrincipalArn");
/// `aws:PrincipalIsAWSService` (Bool): whether an AWS service principal makes the request.
pub const PrincipalIsAWSService: ConditionKey<Global, key_type::BoolValue> =
    ConditionKey::__new("aws:PrincipalIsAWSService");
/// `aws:PrincipalOrgID` (String): the organization of the requesting principal's account.
pub const PrincipalOrgID: ConditionKey<Global, key_type::StringValue> =
    ConditionKey::__new("aws:PrincipalOrgID");
/// `aws:PrincipalOrgPaths` (ArrayOfString): the organization paths of the requesting principal's account.
pub const PrincipalOrgPaths: ConditionKey<Global, key_type::StringList> =
    ConditionKey::__new("aws:PrincipalOrgPaths");
/// `aws:PrincipalServiceName` (String): the service principal making the request.
pub const PrincipalServiceName: ConditionKey<Global, key_type::StringValue> =
    ConditionKey::__new("aws:PrincipalServiceName");
/// `aws:PrincipalServiceNamesList` (ArrayOfString): every service principal name of the requesting service.
pub const PrincipalServiceNamesList: ConditionKey<Global, key_type::StringList> =
    ConditionKey::__new("aws:PrincipalServiceNamesList");
/// `aws:PrincipalType` (String): the type of the requesting principal (`AssumedRole`, `User`…).
pub const PrincipalType: ConditionKey<Global, key_type::StringValue> =
    ConditionKey::__new("aws:PrincipalType");
/// `aws:referer` (String): the HTTP referer of the request.
pub const referer: ConditionKey<Global, key_type::StringValue> = ConditionKey::__new("aws:referer");
/// `aws:RequestedRegion` (String): the Region the request is made to.
pub const RequestedRegion: ConditionKey<Global, key_type::StringValue> =
    ConditionKey::__new("aws:RequestedRegion");
/// `aws:ResourceAccount` (String): the account that owns the resource.
pub const ResourceAccount: ConditionKey<Global, key_type::StringValue> =
    ConditionKey::__new("aws:ResourceAccount");
/// `aws:ResourceOrgID` (String): the organization of the account that owns the resource.
pub const ResourceOrgID: ConditionKey<Global, key_type::StringValue> =
    ConditionKey::__new("aws:ResourceOrgID");
/// `aws:ResourceOrgPaths` (ArrayOfString): the organization paths of the account that owns the resource.
pub const ResourceOrgPaths: ConditionKey<Global, key_type::StringList> =
    ConditionKey::__new("aws:ResourceOrgPaths");
/// `aws:SecureTransport` (Bool): whether the request was sent with TLS.
pub const SecureTransport: ConditionKey<Global, key_type::BoolValue> =
    ConditionKey::__new("aws:SecureTransport");
/// `aws:SourceAccount` (String): the account of the resource making a service-to-service request.
pub const SourceAccount: ConditionKey<Global, key_type::StringValue> =
    ConditionKey::__new("aws:SourceAccount");
/// `aws:SourceArn` (Arn): the ARN of the resource making a service-to-service request.
pub const SourceArn: ConditionKey<Global, key_type::ArnValue> =
    ConditionKey::__new("aws:SourceArn");
/// `aws:SourceIdentity` (String): the source identity set on the role session.
pub const SourceIdentity: ConditionKey<Global, key_type::StringValue> =
    ConditionKey::__new("aws:SourceIdentity");
/// `aws:SourceIp` (IpAddress): the requester's IP address.
pub const SourceIp: ConditionKey<Global, key_type::IpAddressValue> =
    ConditionKey::__new("aws:SourceIp");
/// `aws:SourceOrgID` (String): the organization of the resource making a service-to-service request.
pub const SourceOrgID: ConditionKey<Global, key_type::StringValue> =
    ConditionKey::__new("aws:SourceOrgID");
/// `aws:SourceOrgPaths` (ArrayOfString): the organization paths of the resource making a service-to-service request.
pub const SourceOrgPaths: ConditionKey<Global, key_type::StringList> =
    ConditionKey::__new("aws:SourceOrgPaths");
/// `aws:SourceVpc` (String): the VPC the request comes through (a VPC endpoint's).
pub const SourceVpc: ConditionKey<Global, key_type::StringValue> =
    ConditionKey::__new("aws:SourceVpc");
/// `aws:SourceVpcArn` (Arn): the ARN of the VPC the request comes through.
pub const SourceVpcArn: ConditionKey<Global, key_type::ArnValue> =
    ConditionKey::__new("aws:SourceVpcArn");
/// `aws:SourceVpce` (String): the VPC endpoint the request comes through.
pub const SourceVpce: ConditionKey<Global, key_type::StringValue> =
    ConditionKey::__new("aws:SourceVpce");
/// `aws:TagKeys` (ArrayOfString): the tag keys in the request.
pub const TagKeys: ConditionKey<Global, key_type::StringList> = ConditionKey::__new("aws:TagKeys");
/// `aws:TokenIssueTime` (Date): when the temporary credentials were issued.
pub const TokenIssueTime: ConditionKey<Global, key_type::DateValue> =
    ConditionKey::__new("aws:TokenIssueTime");
/// `aws:UserAgent` (String): the requester's client application.
pub const UserAgent: ConditionKey<Global, key_type::StringValue> =
    ConditionKey::__new("aws:UserAgent");
/// `aws:userid` (String): the requesting principal's identifier.
pub const userid: ConditionKey<Global, key_type::StringValue> = ConditionKey::__new("aws:userid");
/// `aws:username` (String): the requesting IAM user's name.
pub const username: ConditionKey<Global, key_type::StringValue> =
    ConditionKey::__new("aws:username");
/// `aws:ViaAWSService` (Bool): whether an AWS service makes the request on the principal's behalf.
pub const ViaAWSService: ConditionKey<Global, key_type::BoolValue> =
    ConditionKey::__new("aws:ViaAWSService");
/// `aws:VpceAccount` (String): the account that owns the VPC endpoint the request comes through.
pub const VpceAccount: ConditionKey<Global, key_type::StringValue> =
    ConditionKey::__new("aws:VpceAccount");
/// `aws:VpceOrgID` (String): the organization of the VPC endpoint the request comes through.
pub const VpceOrgID: ConditionKey<Global, key_type::StringValue> =
    ConditionKey::__new("aws:VpceOrgID");
/// `aws:VpceOrgPaths` (ArrayOfString): the organization paths of the VPC endpoint the request comes through.
pub const VpceOrgPaths: ConditionKey<Global, key_type::StringList> =
    ConditionKey::__new("aws:VpceOrgPaths");
/// `aws:VpcSourceIp` (IpAddress): the IP address the request comes from inside a VPC.
pub const VpcSourceIp: ConditionKey<Global, key_type::IpAddressValue> =
    ConditionKey::__new("aws:VpcSourceIp");
/// `aws:PrincipalTag/${TagKey}` (String): a tag on the requesting principal.
pub fn PrincipalTag(tag_key: &str) -> ConditionKey<Global, key_type::StringValue> {
    ConditionKey::__templated("aws:PrincipalTag/", tag_key, "")
}
/// `aws:RequestTag/${TagKey}` (String): a tag passed in the request.
pub fn RequestTag(tag_key: &str) -> ConditionKey<Global, key_type::StringValue> {
    ConditionKey::__templated("aws:RequestTag/", tag_key, "")
}
/// `aws:ResourceTag/${TagKey}` (String): a tag on the resource.
pub fn ResourceTag(tag_key: &str) -> ConditionKey<Global, key_type::StringValue> {
    ConditionKey::__templated("aws:ResourceTag/", tag_key, "")
}
