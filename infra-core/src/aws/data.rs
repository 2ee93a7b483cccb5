//! Data sources: facts about the account, partition, region and existing resources, read with
//! `data(…)` (or `data name = …;` in `stack!`).
//!
//! Data sources that do not depend on a region are global: any provider may read them. Those
//! whose answer belongs to a region ([`AvailabilityZones`]) are generic over it, so a zone of
//! us-west-2 cannot place a subnet of us-east-1.

use std::marker::PhantomData;

use crate::aws::route53;
use crate::{Arn, Attributes, Id, Region, Resource, Text, string_enum};

/// The account, user and ARN Terraform runs as (`aws_caller_identity`).
///
/// ```
/// use infra_core::{Stack, UsEast1, aws::data};
/// let stack = Stack::new();
/// let me = stack.aws::<UsEast1>("primary").data("current", data::CallerIdentity::default());
/// assert_eq!(me.account_id().render(), "${data.aws_caller_identity.primary_current.account_id}");
/// ```
#[derive(Resource, Debug, Clone, Default)]
#[resource(
    data = "aws_caller_identity",
    exports(account_id: Text, arn: Text, user_id: Text)
)]
pub struct CallerIdentity {}

/// The region of the provider that reads it (`aws_region`).
///
/// In provider 6 the region's name is the `region` attribute (`name` is deprecated).
///
/// ```
/// use infra_core::{Stack, UsWest2, aws::data};
/// let stack = Stack::new();
/// let region = stack.aws::<UsWest2>("secondary").data("current", data::CurrentRegion::default());
/// assert_eq!(region.region().render(), "${data.aws_region.secondary_current.region}");
/// ```
#[derive(Resource, Debug, Clone, Default)]
#[resource(
    data = "aws_region",
    exports(region: Text, description: Text, endpoint: Text)
)]
pub struct CurrentRegion {}

/// The partition the provider runs in (`aws_partition`): `aws`, `aws-cn`, `aws-us-gov`.
///
/// ```
/// use infra_core::{Stack, UsEast1, aws::data};
/// let stack = Stack::new();
/// let p = stack.aws::<UsEast1>("primary").data("current", data::Partition::default());
/// assert_eq!(p.dns_suffix().render(), "${data.aws_partition.primary_current.dns_suffix}");
/// ```
#[derive(Resource, Debug, Clone, Default)]
#[resource(
    data = "aws_partition",
    exports(partition: Text, dns_suffix: Text, reverse_dns_prefix: Text)
)]
pub struct Partition {}

string_enum! {
    /// The state of the availability zones to list.
    pub enum ZoneState {
        /// Zones that can be used.
        Available = "available",
        /// Zones with an informational notice.
        Information = "information",
        /// Impaired zones.
        Impaired = "impaired",
        /// Unavailable zones.
        Unavailable = "unavailable",
    }
}

/// The availability zones of region `R` (`aws_availability_zones`).
///
/// ```
/// use infra_core::{Stack, UsEast1, aws::{data, ec2}};
/// let stack = Stack::new();
/// let east = stack.aws::<UsEast1>("primary");
/// let zones = east.data("zones", data::AvailabilityZones {
///     state: Some(data::ZoneState::Available),
///     ..Default::default()
/// });
/// assert_eq!(zones.name(0).render(), "${data.aws_availability_zones.primary_zones.names[0]}");
/// let vpc = east.add("vpc", ec2::Vpc { cidr_block: "10.0.0.0/16".into(), opts: Default::default() });
/// east.add("private_a", ec2::Subnet {
///     vpc_id: vpc.id(),
///     cidr_block: "10.0.1.0/24".into(),
///     opts: ec2::SubnetOpts { availability_zone: Some(zones.name(0)), ..Default::default() },
/// });
/// let json = stack.synth().unwrap();
/// assert_eq!(json.value()["data"]["aws_availability_zones"]["primary_zones"]["state"], "available");
/// ```
#[derive(Resource, Debug, Clone, Default)]
#[resource(
    data = "aws_availability_zones",
    exports(id: Text, names: Text, zone_ids: Text)
)]
pub struct AvailabilityZones<R: Region> {
    /// Only zones in this state (`Available` is the usual choice).
    pub state: Option<ZoneState>,
    /// Zone names to leave out.
    pub exclude_names: Vec<Text>,
    /// The region whose zones to list.
    pub _region: PhantomData<R>,
}

impl<R: Region> AvailabilityZonesAttrs<R> {
    /// The name of the `index`-th zone (`names[index]`), for a subnet's `availability_zone`.
    pub fn name(&self, index: usize) -> Text {
        self.node().attribute(&format!("names[{index}]"))
    }

    /// The ID of the `index`-th zone (`zone_ids[index]`).
    pub fn zone_id(&self, index: usize) -> Text {
        self.node().attribute(&format!("zone_ids[{index}]"))
    }
}

/// An existing Route 53 hosted zone, looked up by name or ID (`aws_route53_zone`).
///
/// ```
/// use infra_core::{Id, Stack, UsEast1, aws::{data, route53}};
/// let stack = Stack::new();
/// let zone = stack.aws::<UsEast1>("primary").data("apex", data::Route53Zone {
///     name: Some("example.com".into()),
///     private_zone: Some(false),
///     ..Default::default()
/// });
/// let id: Id<route53::Zone> = zone.zone_id();
/// assert_eq!(id.text().render(), "${data.aws_route53_zone.primary_apex.zone_id}");
/// ```
#[derive(Resource, Debug, Clone, Default)]
#[resource(
    data = "aws_route53_zone",
    exports(
        arn: Arn<route53::Zone>,
        id: Id<route53::Zone>,
        zone_id: Id<route53::Zone>,
        name: Text
    )
)]
pub struct Route53Zone {
    /// The zone's domain name.
    pub name: Option<Text>,
    /// Whether to match a private zone.
    pub private_zone: Option<bool>,
    /// The zone's ID, to look it up by ID instead of by name.
    pub zone_id: Option<Id<route53::Zone>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::UsEast1;
    use crate::testing::assert_conforms as conforms;

    #[test]
    fn shapes_conform_to_the_provider_schema() {
        conforms::<CallerIdentity>();
        conforms::<CurrentRegion>();
        conforms::<Partition>();
        conforms::<AvailabilityZones<UsEast1>>();
        conforms::<Route53Zone>();
    }
}
