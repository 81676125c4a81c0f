#!/usr/bin/env python3
"""pcap_frames.py PCAPDIR OUTDIR - writes every record of every classic pcap
file under PCAPDIR to OUTDIR, one file per frame: the seed corpus of the
segment decoder's fuzzer."""
import os
import struct
import sys

MAGICS = {b"\xd4\xc3\xb2\xa1": "<", b"\xa1\xb2\xc3\xd4": ">",
          b"\x4d\x3c\xb2\xa1": "<", b"\xa1\xb2\x3c\x4d": ">"}


def frames(path):
    with open(path, "rb") as f:
        data = f.read()
    endian = MAGICS.get(data[:4])
    if endian is None or len(data) < 24:
        return
    off = 24
    while off + 16 <= len(data):
        caplen = struct.unpack(endian + "I", data[off + 8:off + 12])[0]
        off += 16
        if off + caplen > len(data):
            return
        yield data[off:off + caplen]
        off += caplen


def main():
    src, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    n = 0
    for root, _, names in sorted(os.walk(src)):
        for name in sorted(names):
            if not name.endswith(".pcap"):
                continue
            for i, frame in enumerate(frames(os.path.join(root, name))):
                with open(os.path.join(out, "%s.%d" % (name[:-5], i + 1)), "wb") as f:
                    f.write(frame)
                n += 1
    print("pcap_frames.py: %d frames from %s" % (n, src))


if __name__ == "__main__":
    main()
