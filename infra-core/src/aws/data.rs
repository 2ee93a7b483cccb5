//! Data sources: facts about the account, partition, region and existing resources, read with
//! `data(…)` (or `data name = …;` in `stack!`).
//!
//! Data sources that do not depend on a region are global: any provider may read them. Those
//! whose answer belongs to a region ([`AvailabilityZones`]) are generic over it, so a zone of
//! us-west-2 cannot place a subnet of us-east-1.

use crate::{Attributes, Region, Resource, Text, string_enum};

/// The overlay-typed data sources (`infra-core/overlay/types/data.toml`): `CallerIdentity`,
/// `Partition`, `AvailabilityZones`, `Route53Zone`.
pub use super::generated::overlay::data::*;

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
