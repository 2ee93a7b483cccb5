//! AWS regions as types, so that a resource and everything it references live in one region.
//!
//! Each region is a zero-sized type implementing [`Region`]. Resources that live in a region are
//! generic over it (`kms::Key<R>`), and a provider `Aws<R>` only creates resources of its own
//! region. [`OtherRegion`] holds between two distinct regions, for the places where AWS allows
//! cross-region use (a DynamoDB replica, an S3 replication destination).
//!
//! Adding a region is one line in the `regions!` list at the bottom of this file.

/// An AWS region known at compile time.
///
/// ```
/// use infra_core::{Region, UsEast1};
/// assert_eq!(UsEast1::NAME, "us-east-1");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an AWS region",
    note = "regions are the types in `infra_core::region` (`UsEast1`, `UsWest2`, …)"
)]
pub trait Region: Copy + Default + Send + Sync + std::fmt::Debug + 'static {
    /// The region's name, as AWS spells it (`us-east-1`).
    const NAME: &'static str;
}

/// Holds when `Self` and `R` are different regions.
///
/// Cross-region features (replicas, replication destinations) require it, so that a "replica"
/// in the table's own region does not compile.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a region other than `{R}`",
    label = "a cross-region copy must live in another region",
    note = "a replica or replication destination needs a key and bucket created with a provider of another region"
)]
pub trait OtherRegion<R: Region>: Region {}

macro_rules! regions {
    ($($ty:ident = $name:literal),* $(,)?) => {
        $(
            #[doc = concat!("The `", $name, "` region.")]
            #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
            pub struct $ty;
            impl Region for $ty {
                const NAME: &'static str = $name;
            }
        )*
        regions!(@pairs [$($ty)*]);

        /// The names of every region this crate knows, in declaration order.
        pub const ALL_REGIONS: &[&str] = &[$($name),*];
    };
    (@pairs [$first:ident $($rest:ident)*]) => {
        $(
            impl OtherRegion<$first> for $rest {}
            impl OtherRegion<$rest> for $first {}
        )*
        regions!(@pairs [$($rest)*]);
    };
    (@pairs []) => {};
}

regions! {
    UsEast1 = "us-east-1",
    UsEast2 = "us-east-2",
    UsWest1 = "us-west-1",
    UsWest2 = "us-west-2",
    EuWest1 = "eu-west-1",
    EuCentral1 = "eu-central-1",
    ApSoutheast2 = "ap-southeast-2",
}

#[cfg(test)]
mod tests {
    use super::*;

    fn other<A: Region, B: OtherRegion<A>>() -> (&'static str, &'static str) {
        (A::NAME, B::NAME)
    }

    #[test]
    fn names_and_pairs() {
        assert_eq!(other::<UsEast1, UsWest2>(), ("us-east-1", "us-west-2"));
        assert_eq!(other::<UsWest2, UsEast1>(), ("us-west-2", "us-east-1"));
        assert_eq!(ALL_REGIONS.len(), 7);
    }
}
