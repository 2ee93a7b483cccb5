//! The `bootstrap` binary must run on Amazon Linux 2023, whose glibc is 2.34: no symbol may
//! require a newer `GLIBC_x.y` version. The versions are read from the ELF's `.gnu.version_r`
//! section (what `readelf -V` shows), with no tool or crate beyond std.
//!
//! Checks the test build of `bootstrap`, and also the binary named by `LAMBDA_GLIBC_CHECK_BIN`
//! when set (`scripts/lambda-package.sh` sets it to the release binary it packages).

/// glibc of Amazon Linux 2023 (`provided.al2023`).
const AL2023_GLIBC: (u32, u32) = (2, 34);

#[test]
fn bootstrap_needs_at_most_glibc_2_34() {
    let mut bins = vec![env!("CARGO_BIN_EXE_bootstrap").to_owned()];
    if let Ok(extra) = std::env::var("LAMBDA_GLIBC_CHECK_BIN") {
        bins.push(extra);
    }
    for bin in bins {
        let data = std::fs::read(&bin).unwrap_or_else(|e| panic!("read {bin}: {e}"));
        let versions = glibc_versions(&data).unwrap_or_else(|e| panic!("{bin}: {e}"));
        assert!(
            !versions.is_empty(),
            "{bin}: no GLIBC version requirements found"
        );
        let max = *versions.iter().max().unwrap();
        eprintln!(
            "{bin}: needs GLIBC_{}.{} at most (of {} versions)",
            max.0,
            max.1,
            versions.len()
        );
        let too_new: Vec<_> = versions.iter().filter(|v| **v > AL2023_GLIBC).collect();
        assert!(
            too_new.is_empty(),
            "{bin} needs glibc newer than 2.34: {too_new:?}"
        );
    }
}

#[test]
fn parser_reads_a_known_library() {
    // The system's own libc.so.6 defines (not needs) versions, but any dynamically linked
    // system binary needs some; `/bin/sh` always exists.
    let data = std::fs::read("/bin/sh").unwrap();
    let versions = glibc_versions(&data).unwrap();
    assert!(
        versions.iter().all(|v| v.0 == 2) && !versions.is_empty(),
        "{versions:?}"
    );
}

fn u16_at(d: &[u8], o: usize) -> Result<u16, String> {
    d.get(o..o + 2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
        .ok_or_else(|| format!("truncated at {o}"))
}

fn u32_at(d: &[u8], o: usize) -> Result<u32, String> {
    d.get(o..o + 4)
        .map(|b| u32::from_le_bytes(b.try_into().unwrap()))
        .ok_or_else(|| format!("truncated at {o}"))
}

fn u64_at(d: &[u8], o: usize) -> Result<usize, String> {
    d.get(o..o + 8)
        .map(|b| u64::from_le_bytes(b.try_into().unwrap()) as usize)
        .ok_or_else(|| format!("truncated at {o}"))
}

fn cstr(d: &[u8], o: usize) -> Result<&str, String> {
    let tail = d.get(o..).ok_or("string out of range")?;
    let end = tail
        .iter()
        .position(|b| *b == 0)
        .ok_or("unterminated string")?;
    std::str::from_utf8(&tail[..end]).map_err(|e| e.to_string())
}

/// Every `GLIBC_x.y` (or `x.y.z`, as (x, y) with z ignored) named in the version-needs section
/// of a 64-bit little-endian ELF.
fn glibc_versions(d: &[u8]) -> Result<Vec<(u32, u32)>, String> {
    const SHT_GNU_VERNEED: u32 = 0x6fff_fffe;
    if d.get(0..4) != Some(b"\x7fELF") || d.get(4) != Some(&2) || d.get(5) != Some(&1) {
        return Err("not a 64-bit little-endian ELF".into());
    }
    let shoff = u64_at(d, 0x28)?;
    let shentsize = usize::from(u16_at(d, 0x3a)?);
    let shnum = usize::from(u16_at(d, 0x3c)?);
    let section = |i: usize| -> Result<(u32, usize, usize, usize, u32), String> {
        let base = shoff + i * shentsize;
        // (type, offset, size, link, info)
        Ok((
            u32_at(d, base + 4)?,
            u64_at(d, base + 0x18)?,
            u64_at(d, base + 0x20)?,
            u32_at(d, base + 0x28)? as usize,
            u32_at(d, base + 0x2c)?,
        ))
    };
    let mut out = Vec::new();
    for i in 0..shnum {
        let (kind, offset, _size, link, count) = section(i)?;
        if kind != SHT_GNU_VERNEED {
            continue;
        }
        let strtab = section(link)?.1;
        let mut need = offset;
        for _ in 0..count {
            let aux_count = u16_at(d, need + 2)?;
            let mut aux = need + u32_at(d, need + 8)? as usize;
            for _ in 0..aux_count {
                let name = cstr(d, strtab + u32_at(d, aux + 8)? as usize)?;
                if let Some(v) = name.strip_prefix("GLIBC_") {
                    let mut parts = v.split('.').map(|p| p.parse::<u32>());
                    if let (Some(Ok(major)), Some(Ok(minor))) = (parts.next(), parts.next()) {
                        out.push((major, minor));
                    }
                }
                aux += u32_at(d, aux + 12)? as usize;
            }
            let next = u32_at(d, need + 12)? as usize;
            if next == 0 {
                break;
            }
            need += next;
        }
    }
    Ok(out)
}
