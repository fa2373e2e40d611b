//! The address rule of outbound requests to user-given URLs: never the
//! deployment's own network. Checked on the address actually connected to.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Whether a request may connect to `ip`: a public unicast IPv4 address
/// (not loopback, private (RFC 1918), link-local (169.254.0.0/16 with the
/// cloud metadata address), CGNAT (100.64.0.0/10), multicast, broadcast,
/// unspecified or reserved), or an IPv6 global unicast address (2000::/3)
/// outside the special ranges. An IPv4 address carried inside an IPv6 one
/// (mapped, translated, compatible, NAT64, 6to4, Teredo, ISATAP) is checked
/// as that IPv4 address too.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match outside_global(v6) {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, _, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // CGNAT 100.64.0.0/10
        || (a == 192 && b == 0 && ip.octets()[2] == 0) // IETF 192.0.0.0/24
        || (a == 198 && (18..20).contains(&b)) // benchmarking 198.18.0.0/15
        || a >= 240) // reserved 240.0.0.0/4
}

/// The last 32 bits of an IPv6 address, as IPv4.
fn tail_v4(s: [u16; 8]) -> Ipv4Addr {
    Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8)
}

/// The IPv4 address of the forms that live outside 2000::/3: mapped
/// (::ffff:0:0/96), translated (::ffff:0:0:0/96), compatible (::/96) and
/// NAT64 (64:ff9b::/96). Local-use NAT64 (64:ff9b:1::/48) is not unwrapped:
/// it is the deployment's own translator, refused with everything else
/// outside 2000::/3.
fn outside_global(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    match s {
        [0, 0, 0, 0, 0, 0xffff, _, _] | [0, 0, 0, 0, 0xffff, 0, _, _] => Some(tail_v4(s)),
        [0, 0, 0, 0, 0, 0, _, _] if !ip.is_loopback() && !ip.is_unspecified() => Some(tail_v4(s)),
        [0x64, 0xff9b, 0, 0, 0, 0, _, _] => Some(tail_v4(s)),
        _ => None,
    }
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    // ISATAP (an interface id of 0000:5efe or 0200:5efe under any prefix)
    // carries an IPv4 address in its last 32 bits.
    if (s[4] & 0xfdff) == 0 && s[5] == 0x5efe && !is_public_v4(tail_v4(s)) {
        return false;
    }
    if (s[0] & 0xe000) != 0x2000 {
        return false; // not global unicast 2000::/3
    }
    match s {
        // Teredo 2001::/32: the server's IPv4, and the client's inverted.
        [0x2001, 0, hi, lo, _, _, _, _] => {
            let server = Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
            let client = Ipv4Addr::from(!u32::from(tail_v4(s)));
            is_public_v4(server) && is_public_v4(client)
        }
        // The rest of the IETF protocol assignments (2001::/23).
        [0x2001, second, ..] if second < 0x0200 => false,
        // Documentation (2001:db8::/32, 3fff::/20).
        [0x2001, 0x0db8, ..] => false,
        [0x3fff, second, ..] if second < 0x1000 => false,
        // 6to4 2002::/16 carries an IPv4 address in its next 32 bits.
        [0x2002, hi, lo, ..] => is_public_v4(Ipv4Addr::new(
            (hi >> 8) as u8,
            hi as u8,
            (lo >> 8) as u8,
            lo as u8,
        )),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::is_public;

    #[test]
    fn the_deployments_own_networks_are_refused() {
        for refused in [
            "127.0.0.1",
            "127.1.2.3",
            "10.0.0.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "169.254.0.1",
            "100.64.0.1",
            "100.127.255.254",
            "0.0.0.0",
            "0.1.2.3",
            "224.0.0.1",
            "255.255.255.255",
            "240.0.0.1",
            "198.18.0.1",
            "192.0.0.1",
            "::1",
            "::",
            "fd00:ec2::254",
            "fc00::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a00:1",
            "2002:a00:1::1",
            "::10.0.0.1",
            "2001:db8::1",
            // Teredo with a private client (10.0.0.1 inverted) or server.
            "2001:0:4136:e378:8000:63bf:f5ff:fffe",
            "2001:0:a00:1:8000:63bf:3fff:fdd2",
            // Other IETF assignments, local-use NAT64, translated, ISATAP.
            "2001:2::1",
            "64:ff9b:1::a00:1",
            "64:ff9b:1::808:808",
            "::ffff:0:a00:1",
            "::ffff:0:7f00:1",
            "2a00:1450::5efe:a00:1",
            "2a00:1450::200:5efe:c0a8:101",
            "fe80::5efe:808:808",
            "3fff::1",
            // Not global unicast.
            "100::1",
            "4000::1",
            "e000::1",
        ] {
            assert!(
                !is_public(refused.parse().unwrap()),
                "{refused} must be refused"
            );
        }
    }

    #[test]
    fn public_addresses_are_allowed() {
        for allowed in [
            "1.1.1.1",
            "8.8.8.8",
            "93.184.216.34",
            "100.128.0.1",
            "172.32.0.1",
            "2606:4700:4700::1111",
            "2a00:1450:4001::200e",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "::ffff:0:808:808",
            "2001:0:4136:e378:8000:63bf:f7f7:f7f7",
            "2a00:1450::5efe:808:808",
            "2002:808:808::1",
            "2001:4860:4860::8888",
        ] {
            assert!(
                is_public(allowed.parse().unwrap()),
                "{allowed} must be allowed"
            );
        }
    }
}
