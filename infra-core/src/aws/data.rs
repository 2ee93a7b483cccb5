//! Data sources: facts about the account, partition, region and existing resources, read with
//! `data(…)` (or `data name = …;` in `stack!`).
//!
//! Data sources that do not depend on a region are global: any provider may read them. Those
//! whose answer belongs to a region ([`AvailabilityZones`]) are generic over it, so a zone of
//! us-west-2 cannot place a subnet of us-east-1.

use crate::{Attributes, Region, Text, string_enum};

/// The overlay-typed data sources (`infra-core/overlay/types/data.toml`): `CallerIdentity`,
/// `CurrentRegion`, `Partition`, `AvailabilityZones`, `Route53Zone`.
pub use super::generated::overlay::data::*;

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

    #[test]
    fn the_current_region_is_global_and_may_name_another_region() {
        // No region parameter: the same type is read by both regions' providers (with a
        // regional `CurrentRegion<R>`, as the schema's `region` argument would make it, the
        // two reads below would need two types).
        let stack = crate::Stack::new();
        let east = stack.aws::<UsEast1>("primary");
        let west = stack.aws::<crate::UsWest2>("secondary");
        let here: crate::Ref<CurrentRegion> = east.data("current", CurrentRegion::default());
        let there: crate::Ref<CurrentRegion> = west.data(
            "europe",
            CurrentRegion {
                region: Some("eu-west-1".into()),
                ..Default::default()
            },
        );
        assert_eq!(
            here.region().render(),
            "${data.aws_region.primary_current.region}"
        );
        assert_eq!(
            there.endpoint().render(),
            "${data.aws_region.secondary_europe.endpoint}"
        );
        let json = stack.synth().unwrap();
        let regions = &json.value()["data"]["aws_region"];
        assert_eq!(regions["secondary_europe"]["region"], "eu-west-1");
        assert!(regions["primary_current"].get("region").is_none());
    }
}
