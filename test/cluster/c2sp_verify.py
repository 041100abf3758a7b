#!/usr/bin/python3
"""c2sp_verify.py: an independent verifier of C2SP signed notes, checkpoints
and Ed25519 cosignatures, written for test/cluster/witness.sh from the C2SP
texts only (c2sp.org/signed-note, c2sp.org/tlog-checkpoint,
c2sp.org/tlog-cosignature).  It shares no code with the integrity extension
or tools/integrity-verify; it needs python3 and python3-cryptography only.

Usage (NOTE is a file name, or - for standard input):

  c2sp_verify.py vkey-parse VKEY
      Parse a verifier key <name>+<hex key ID>+<base64(type || key)>.
      Prints "name=<name> id=<8 hex> type=<0xNN> key=<hex>" and exits 0
      when it is well formed; for the Ed25519 types 0x01 (note signature)
      and 0x04 (cosignature/v1) the key ID must also be
      SHA-256(name || 0x0A || type || 32-byte key)[:4].

  c2sp_verify.py verify --key VKEY [--key VKEY]... [--witness VKEY]...
                        [--quorum N] [--now SECONDS] [-v] NOTE
      Verify NOTE as a tlog-checkpoint signed note: the note format, the
      checkpoint body (origin, tree size, root hash, optional extension
      lines), the log's Ed25519 signature (type 0x01 --key, a signature
      line whose key name and key ID match it) over the note text, and
      count the valid cosignatures (type 0x04 --witness) over
      "cosignature/v1\\ntime <T>\\n" || note text.  Each witness counts
      once.  Signature lines of unknown keys (name or key ID not both
      matching a given key) are ignored.  A cosignature whose timestamp
      lies after --now (default: the current time) or beyond 2^63-1 is not
      counted.  A signature line of a known key that does not verify
      rejects the whole note (signed-note: "clients SHOULD reject the
      whole note").  Exit 0 and "ok: ..." on stdout when the log signature
      verifies and at least --quorum (default 0) witnesses cosigned; exit 1
      and "bad note: <reason>" or "quorum not met: ..." on stderr
      otherwise.  -v lists every signature line and what became of it.

  c2sp_verify.py cosign --name NAME --key PEM [--time SECONDS]
                        [--log-key VKEY] [--append] NOTE
      Write a cosignature/v1 line "— NAME base64(key ID || u64 big-endian
      time || Ed25519 signature)" for the note text of NOTE (the text
      before its signature lines, or the whole file when it has none),
      with the Ed25519 private key of the PEM file and the given time
      (default: now).  With --log-key the note's log signature is verified
      first (exit 1 if it does not).  Prints the line; with --append
      prints the whole note with the line appended.

  c2sp_verify.py sign --name NAME --key PEM NOTE
      Print NOTE's text (the text before its signature lines, or the whole
      file when it has none) as a signed note with one Ed25519 (type 0x01)
      signature line of the PEM key for NAME.  (The test uses it to make a
      log-signed note of another body.)

  c2sp_verify.py sig-parse LINE
      Parse one signature line "— <name> <base64>".  Prints "name=<name>
      id=<8 hex> bytes=<n>", and " time=<T>" when the signature has the
      4 + 8 + 64 bytes of a cosignature/v1.

  c2sp_verify.py vkey --name NAME --type 1|4 --key PEM
      Print the vkey of the PEM key's public key for NAME and the
      signature type (1: Ed25519 note signatures, 4: cosignature/v1).

  c2sp_verify.py selftest
      Generates its own keys, builds an RFC 6962 tree and a checkpoint,
      signs and cosigns it and checks every rule above, including the
      signed-note example of the specification.  Prints TAP.

Exit status 2 for usage errors and unreadable files.
"""
import base64
import binascii
import hashlib
import os
import re
import struct
import sys
import tempfile
import time

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey, Ed25519PublicKey)

EM_DASH = "\u2014"
TYPE_ED25519 = 0x01
TYPE_COSIG_V1 = 0x04
MAX_SIGNATURES = 64          # signed-note: at least 16 MUST be accepted


class Bad(Exception):
    """The input does not verify (exit 1)."""


class Usage(Exception):
    """Bad arguments or unreadable file (exit 2)."""


# ------------------------------------------------------------- encodings
def b64decode_strict(s):
    """Standard base64 (RFC 4648 section 4), padding required, no junk."""
    if not re.fullmatch(r"[A-Za-z0-9+/]*={0,2}", s) or len(s) % 4 != 0:
        raise ValueError("not standard base64")
    return base64.b64decode(s, validate=True)


def b64(data):
    return base64.b64encode(data).decode("ascii")


def key_id(name, sigtype, pub):
    """SHA-256(key name || 0x0A || signature type || public key)[:4]"""
    return hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([sigtype]) + pub).digest()[:4]


def valid_key_name(name):
    # non-empty, no Unicode spaces, no plus
    return bool(name) and "+" not in name and not any(c.isspace() for c in name)


# ------------------------------------------------------------------ vkeys
class VKey:
    def __init__(self, name, kid, sigtype, pub):
        self.name, self.kid, self.type, self.pub = name, kid, sigtype, pub

    def __str__(self):
        return "%s+%s+%s" % (self.name, self.kid.hex(), b64(bytes([self.type]) + self.pub))

    def verify(self, sig, msg):
        try:
            Ed25519PublicKey.from_public_bytes(self.pub).verify(sig, msg)
            return True
        except InvalidSignature:
            return False


def parse_vkey(text):
    """<name>+<hex(32-bit key ID)>+<base64(type || public key)>"""
    parts = text.strip("\n").split("+", 2)
    if len(parts) != 3:
        raise Bad("vkey %r: not three parts separated by '+'" % text)
    name, hexid, keyb64 = parts
    if not valid_key_name(name):
        raise Bad("vkey %r: bad key name" % text)
    if not re.fullmatch(r"[0-9a-fA-F]{8}", hexid):
        raise Bad("vkey %r: key ID is not 8 hex digits" % text)
    try:
        raw = b64decode_strict(keyb64)
    except (ValueError, binascii.Error):
        raise Bad("vkey %r: key is not base64" % text)
    if len(raw) < 1:
        raise Bad("vkey %r: empty key" % text)
    sigtype, pub = raw[0], raw[1:]
    kid = bytes.fromhex(hexid)
    if sigtype in (TYPE_ED25519, TYPE_COSIG_V1):
        if len(pub) != 32:
            raise Bad("vkey %r: an Ed25519 key has 32 bytes, not %d" % (text, len(pub)))
        if key_id(name, sigtype, pub) != kid:
            raise Bad("vkey %r: key ID %s is not SHA-256(name || 0x0A || 0x%02x || key)[:4] = %s"
                      % (text, hexid, sigtype, key_id(name, sigtype, pub).hex()))
    return VKey(name, kid, sigtype, pub)


def load_private_key(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise Usage("%s: %s" % (path, e.strerror))
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as e:
        raise Usage("%s: not a PEM private key (%s)" % (path, e))
    if not isinstance(key, Ed25519PrivateKey):
        raise Usage("%s: not an Ed25519 key" % path)
    return key


def public_raw(priv):
    return priv.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def make_vkey(name, sigtype, priv):
    pub = public_raw(priv)
    return VKey(name, key_id(name, sigtype, pub), sigtype, pub)


# ------------------------------------------------------------------ notes
class Note:
    def __init__(self, text, sigs):
        self.text = text        # the note text, with its final newline (str)
        self.sigs = sigs        # [(key name, decoded signature bytes, line)]


def parse_note(data):
    """A signed note: text ending in newline, a blank line, one or more
    signature lines "— <key name> <base64>\\n".  The text is separated
    from the signatures by the last empty line."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise Bad("the note is not valid UTF-8")
    for c in data:
        if ord(c) < 0x20 and c != "\n":
            raise Bad("the note contains the control character U+%04X" % ord(c))
    if not data.endswith("\n"):
        raise Bad("the note does not end in a newline")
    cut = data.rfind("\n\n")
    if cut < 0:
        raise Bad("the note has no blank line before its signatures")
    text, sigpart = data[:cut + 1], data[cut + 2:]
    lines = sigpart.split("\n")[:-1]        # ends in "\n": last element empty
    if not lines:
        raise Bad("the note has no signature lines")
    if len(lines) > MAX_SIGNATURES:
        raise Bad("the note has more than %d signatures" % MAX_SIGNATURES)
    sigs = []
    for line in lines:
        m = re.fullmatch(EM_DASH + r" (\S+) (\S+)", line)
        if not m or not valid_key_name(m.group(1)):
            raise Bad("malformed signature line %r" % line)
        try:
            sig = b64decode_strict(m.group(2))
        except (ValueError, binascii.Error):
            raise Bad("signature line %r: not base64" % line)
        if len(sig) < 4:
            raise Bad("signature line %r: shorter than a key ID" % line)
        sigs.append((m.group(1), sig, line))
    return Note(text, sigs)


def note_text_of(data):
    """The note text of a signed note, or the whole input when it has no
    signature lines (a bare checkpoint body)."""
    if isinstance(data, bytes):
        data = data.decode("utf-8")
    try:
        return parse_note(data).text
    except Bad:
        if data.endswith("\n") and "\n\n" not in data:
            return data
        raise


class Checkpoint:
    def __init__(self, origin, size, root, ext):
        self.origin, self.size, self.root, self.ext = origin, size, root, ext


def parse_checkpoint(text):
    """tlog-checkpoint note text: origin, tree size, root hash, then
    optional non-empty extension lines."""
    lines = text.split("\n")
    if lines[-1] != "":
        raise Bad("the checkpoint text does not end in a newline")
    lines = lines[:-1]
    if len(lines) < 3:
        raise Bad("the checkpoint has fewer than three lines")
    if any(line == "" for line in lines):
        raise Bad("the checkpoint has an empty line")
    origin, size, root = lines[0], lines[1], lines[2]
    if not re.fullmatch(r"0|[1-9][0-9]*", size):
        raise Bad("tree size %r is not a decimal without leading zeroes" % size)
    try:
        rh = b64decode_strict(root)
    except (ValueError, binascii.Error):
        raise Bad("root hash %r is not base64" % root)
    if len(rh) != 32:
        raise Bad("root hash has %d bytes, not 32 (SHA-256)" % len(rh))
    return Checkpoint(origin, int(size), rh, lines[3:])


def cosigned_message(t, text):
    return ("cosignature/v1\ntime %d\n" % t).encode("ascii") + text.encode("utf-8")


def verify_checkpoint(data, logkeys, witnesses, quorum, now, report=None):
    """Returns (checkpoint, number of witnesses whose cosignature is valid).
    Raises Bad when the note or its log signature does not verify."""
    say = report or (lambda s: None)
    note = parse_note(data)
    cp = parse_checkpoint(note.text)
    body = note.text.encode("utf-8")
    logok = False
    cosigned = set()
    for name, sig, line in note.sigs:
        kid, rest = sig[:4], sig[4:]
        lk = [k for k in logkeys if k.name == name and k.kid == kid]
        wk = [k for k in witnesses if k.name == name and k.kid == kid]
        if lk:
            if len(rest) != 64 or not lk[0].verify(rest, body):
                raise Bad("the signature of log key %s+%s does not verify" % (name, kid.hex()))
            if name != cp.origin:
                say("note: log key name %s does not match the origin line %s" % (name, cp.origin))
            logok = True
            say("log signature %s+%s: valid" % (name, kid.hex()))
        elif wk:
            if len(rest) != 8 + 64:
                raise Bad("cosignature of %s: %d bytes, not 4 + 8 + 64" % (name, len(sig)))
            (t,) = struct.unpack(">Q", rest[:8])
            if not wk[0].verify(rest[8:], cosigned_message(t, note.text)):
                raise Bad("the cosignature of %s+%s (time %d) does not verify" % (name, kid.hex(), t))
            if t > 2 ** 63 - 1:
                say("cosignature %s: time %d exceeds 2^63-1, not counted" % (name, t))
            elif t > now:
                say("cosignature %s: time %d is in the future (now %d), not counted" % (name, t, now))
            elif (name, kid) in cosigned:
                say("cosignature %s: a second line of the same witness, counted once" % name)
            else:
                cosigned.add((name, kid))
                say("cosignature %s+%s time %d: valid" % (name, kid.hex(), t))
        else:
            say("signature line of unknown key %s+%s: ignored" % (name, kid.hex()))
    if not logok:
        raise Bad("no signature of the log key (%s) in the note"
                  % ", ".join("%s+%s" % (k.name, k.kid.hex()) for k in logkeys))
    return cp, len(cosigned)


def cosign_line(text, name, priv, t):
    if t < 0 or t > 2 ** 63 - 1:
        raise Usage("time %d out of range" % t)
    kid = key_id(name, TYPE_COSIG_V1, public_raw(priv))
    sig = priv.sign(cosigned_message(t, text))
    return "%s %s %s" % (EM_DASH, name, b64(kid + struct.pack(">Q", t) + sig))


def sign_note(text, name, priv):
    """An Ed25519 (type 0x01) signature line over the note text."""
    kid = key_id(name, TYPE_ED25519, public_raw(priv))
    return "%s %s %s" % (EM_DASH, name, b64(kid + priv.sign(text.encode("utf-8"))))


# -------------------------------------------------------- command line
def read_input(path):
    try:
        if path == "-":
            return sys.stdin.buffer.read()
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise Usage("%s: %s" % (path, e.strerror))


def parse_args(argv, spec):
    """spec: {option: (kind, default)} kind 'str', 'int', 'list', 'flag'.
    Returns (options, positional arguments)."""
    opts = {k: ([] if kind == "list" else default) for k, (kind, default) in spec.items()}
    pos = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a.startswith("-") and a != "-":
            name, eq, val = a.partition("=")
            if name not in spec:
                raise Usage("unknown option %s" % name)
            kind = spec[name][0]
            if kind == "flag":
                opts[name] = True
            else:
                if not eq:
                    i += 1
                    if i >= len(argv):
                        raise Usage("option %s needs a value" % name)
                    val = argv[i]
                if kind == "int":
                    try:
                        val = int(val)
                    except ValueError:
                        raise Usage("option %s needs a number" % name)
                if kind == "list":
                    opts[name].append(val)
                else:
                    opts[name] = val
        else:
            pos.append(a)
        i += 1
    return opts, pos


def cmd_vkey_parse(argv):
    if len(argv) != 1:
        raise Usage("vkey-parse VKEY")
    k = parse_vkey(argv[0])
    print("name=%s id=%s type=0x%02x key=%s" % (k.name, k.kid.hex(), k.type, k.pub.hex()))
    return 0


def cmd_verify(argv):
    o, pos = parse_args(argv, {"--key": ("list", None), "--witness": ("list", None),
                               "--quorum": ("int", 0), "--now": ("int", None), "-v": ("flag", False)})
    if len(pos) != 1 or not o["--key"]:
        raise Usage("verify --key VKEY [--witness VKEY]... [--quorum N] [--now T] [-v] NOTE")
    logkeys = [parse_vkey(k) for k in o["--key"]]
    for k in logkeys:
        if k.type != TYPE_ED25519:
            raise Usage("--key %s: signature type 0x%02x, not 0x01" % (k, k.type))
    wits = [parse_vkey(k) for k in o["--witness"]]
    for k in wits:
        if k.type != TYPE_COSIG_V1:
            raise Usage("--witness %s: signature type 0x%02x, not 0x04" % (k, k.type))
    now = o["--now"] if o["--now"] is not None else int(time.time())
    report = (lambda s: print("# " + s, file=sys.stderr)) if o["-v"] else None
    cp, count = verify_checkpoint(read_input(pos[0]), logkeys, wits, o["--quorum"], now, report)
    witnames = len({(k.name, k.kid) for k in wits})
    if count < o["--quorum"]:
        print("quorum not met: %d of %d witnesses cosigned %s at size %d, %d needed"
              % (count, witnames, cp.origin, cp.size, o["--quorum"]), file=sys.stderr)
        return 1
    print("ok: %s size %d root %s: log signature verified, %d of %d witnesses cosigned (quorum %d)"
          % (cp.origin, cp.size, b64(cp.root), count, witnames, o["--quorum"]))
    return 0


def cmd_cosign(argv):
    o, pos = parse_args(argv, {"--name": ("str", None), "--key": ("str", None), "--time": ("int", None),
                               "--log-key": ("list", None), "--append": ("flag", False)})
    if len(pos) != 1 or not o["--name"] or not o["--key"]:
        raise Usage("cosign --name NAME --key PEM [--time T] [--log-key VKEY] [--append] NOTE")
    if not valid_key_name(o["--name"]):
        raise Usage("bad key name %r" % o["--name"])
    data = read_input(pos[0])
    if o["--log-key"]:
        verify_checkpoint(data, [parse_vkey(k) for k in o["--log-key"]], [], 0, 2 ** 63 - 1)
    text = note_text_of(data)
    parse_checkpoint(text)
    priv = load_private_key(o["--key"])
    t = o["--time"] if o["--time"] is not None else int(time.time())
    line = cosign_line(text, o["--name"], priv, t)
    if o["--append"]:
        s = data.decode("utf-8")
        if s == text:
            raise Usage("--append needs a signed note")
        sys.stdout.write(s + line + "\n")
    else:
        print(line)
    return 0


def cmd_sign(argv):
    o, pos = parse_args(argv, {"--name": ("str", None), "--key": ("str", None)})
    if len(pos) != 1 or not o["--name"] or not o["--key"]:
        raise Usage("sign --name NAME --key PEM NOTE")
    if not valid_key_name(o["--name"]):
        raise Usage("bad key name %r" % o["--name"])
    text = note_text_of(read_input(pos[0]))
    sys.stdout.write(text + "\n" + sign_note(text, o["--name"], load_private_key(o["--key"])) + "\n")
    return 0


def cmd_sig_parse(argv):
    if len(argv) != 1:
        raise Usage("sig-parse LINE")
    name, sig, _ = parse_note("x\n\n" + argv[0].rstrip("\n") + "\n").sigs[0]
    out = "name=%s id=%s bytes=%d" % (name, sig[:4].hex(), len(sig))
    if len(sig) == 4 + 8 + 64:
        out += " time=%d" % struct.unpack(">Q", sig[4:12])[0]
    print(out)
    return 0


def cmd_vkey(argv):
    o, pos = parse_args(argv, {"--name": ("str", None), "--type": ("int", None), "--key": ("str", None)})
    if pos or not o["--name"] or o["--type"] not in (1, 4) or not o["--key"]:
        raise Usage("vkey --name NAME --type 1|4 --key PEM")
    if not valid_key_name(o["--name"]):
        raise Usage("bad key name %r" % o["--name"])
    print(make_vkey(o["--name"], o["--type"], load_private_key(o["--key"])))
    return 0


# ------------------------------------------------------------- self-test
def rfc6962_root(leaves):
    """RFC 6962 Merkle tree hash of a list of leaf inputs."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\x01" + rfc6962_root(leaves[:k]) + rfc6962_root(leaves[k:])).digest()


def cmd_selftest(argv):
    n = [0, 0]

    def ok(cond, desc):
        n[0] += 1
        if not cond:
            n[1] += 1
        print("%s %d - %s" % ("ok" if cond else "not ok", n[0], desc))

    def verifies(note, keys, wits, quorum=0, now=None):
        try:
            _, c = verify_checkpoint(note, keys, wits, quorum, now if now is not None else int(time.time()))
            return c
        except Bad as e:
            return "bad: %s" % e

    # the example of c2sp.org/signed-note (section Verifier keys)
    ex_vkey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
    ex_note = ("This is an example message.\n\n" + EM_DASH + " example.com/foo "
               "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n")
    k = parse_vkey(ex_vkey)
    ok(str(k) == ex_vkey and k.type == 1, "the specification's example vkey parses and round-trips")
    note = parse_note(ex_note)
    sig = note.sigs[0][1]
    ok(note.sigs[0][0] == k.name and sig[:4] == k.kid and k.verify(sig[4:], note.text.encode()),
       "the specification's example note verifies under its vkey")
    ok(not k.verify(sig[4:], note.text.replace("an", "the").encode()), "... and not when its text changes")

    # keys of a log and three witnesses
    log = Ed25519PrivateKey.generate()
    w = [Ed25519PrivateKey.generate() for _ in range(3)]
    origin = "example.org/selftest-log"
    lv = make_vkey(origin, 1, log)
    wv = [make_vkey("example.org/witness%d" % i, 4, w[i]) for i in range(3)]
    ok(all(str(parse_vkey(str(v))) == str(v) for v in [lv] + wv), "generated vkeys parse and round-trip")
    bad = str(wv[0]).split("+")
    bad[1] = "%08x" % (int(bad[1], 16) ^ 1)
    ok(isinstance(_try(parse_vkey, "+".join(bad)), Bad), "a vkey whose key ID is not the hash is refused")
    ok(isinstance(_try(parse_vkey, "a b+00000000+AQ=="), Bad), "a vkey with a space in its name is refused")

    leaves = [("entry %d" % i).encode() for i in range(7)]
    root = rfc6962_root(leaves)
    ok(rfc6962_root([]).hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
       "RFC 6962: the empty tree's hash is SHA-256 of the empty string")
    text = "%s\n%d\n%s\n" % (origin, len(leaves), b64(root))
    signed = text + "\n" + sign_note(text, origin, log) + "\n"
    ok(verifies(signed, [lv], []) == 0, "a checkpoint signed by the log key verifies (no witnesses)")
    ok(isinstance(verifies(signed, [make_vkey(origin, 1, w[0])], []), str),
       "... and not under another log key of the same name (no signature of a known key)")

    now = int(time.time())
    c = [cosign_line(text, wv[i].name, w[i], now - 10 * i) for i in range(3)]
    full = signed + c[0] + "\n" + c[1] + "\n"
    ok(verifies(full, [lv], wv[:2], 2) == 2, "two valid cosignatures count 2")
    ok(verifies(full, [lv], wv, 2) == 2, "a given witness without a line does not count")
    _, cnt = verify_checkpoint(full, [lv], wv[:2], 3, now)
    ok(cnt < 3, "quorum 3 is not met by two cosignatures")
    ok(verifies(full + c[0] + "\n", [lv], wv, 0) == 2, "a repeated line of one witness counts once")
    # unknown lines are ignored: another name, or the right name with another key
    stranger = Ed25519PrivateKey.generate()
    unk1 = cosign_line(text, "example.org/stranger", stranger, now)
    unk2 = cosign_line(text, wv[0].name, stranger, now)
    ok(verifies(full + unk1 + "\n" + unk2 + "\n", [lv], wv, 2) == 2,
       "lines of unknown witnesses (other name; same name, other key ID) are ignored")
    # a changed time line: same signature bytes, another timestamp
    raw = b64decode_strict(c[0].split(" ")[2])
    t2 = struct.unpack(">Q", raw[4:12])[0] - 1
    moved = "%s %s %s" % (EM_DASH, wv[0].name, b64(raw[:4] + struct.pack(">Q", t2) + raw[12:]))
    ok(isinstance(verifies(signed + moved + "\n", [lv], wv[:1]), str), "a cosignature whose time was changed is refused")
    # a changed body: the cosignature of another root hash
    other = "%s\n%d\n%s\n" % (origin, len(leaves), b64(rfc6962_root(leaves[:-1] + [b"x"])))
    oc = cosign_line(other, wv[0].name, w[0], now)
    ok(isinstance(verifies(signed + oc + "\n", [lv], wv[:1]), str), "a cosignature of another body is refused")
    ok(verifies(signed + oc + "\n", [lv], wv[1:]) == 0, "... and ignored by a verifier that does not know that witness")
    fut = cosign_line(text, wv[2].name, w[2], now + 3600)
    ok(verifies(signed + fut + "\n", [lv], wv, 0, now) == 0, "a cosignature with a timestamp in the future is not counted")
    ok(verifies(signed + fut + "\n", [lv], wv, 0, now + 3600) == 1, "... and counted once its time has come")
    ok(isinstance(verifies(signed.replace("\n7\n", "\n8\n"), [lv], []), str), "a changed tree size fails the log signature")
    # a type 0x01 log key is not a witness key: same key, other type, other key ID
    ok(verifies(full, [lv], [make_vkey(wv[0].name, 1, w[0])]) == 0,
       "a witness's key given as type 0x01 has another key ID: its cosignature is not counted")
    # note format
    ok(isinstance(_try(parse_note, signed.replace("\n\n", "\n")), Bad), "a note without the blank line is refused")
    ok(isinstance(_try(parse_note, signed[:-1]), Bad), "a note not ending in newline is refused")
    ok(isinstance(_try(parse_note, signed.replace(origin, origin + "\t")), Bad), "a note with a control character is refused")
    ok(isinstance(_try(parse_checkpoint, "%s\n07\n%s\n" % (origin, b64(root))), Bad), "a tree size with a leading zero is refused")
    ok(isinstance(_try(parse_checkpoint, "%s\n7\n" % origin), Bad), "a checkpoint of two lines is refused")
    ok(parse_checkpoint(text + "ext line\n").ext == ["ext line"], "an extension line is accepted")
    ext = text + "ext line\n"
    es = ext + "\n" + sign_note(ext, origin, log) + "\n" + cosign_line(ext, wv[0].name, w[0], now) + "\n"
    ok(verifies(es, [lv], wv[:1], 1) == 1, "extension lines are part of the signed and cosigned text")

    # the command line, on files
    with tempfile.TemporaryDirectory() as d:
        pem = os.path.join(d, "w.pem")
        with open(pem, "wb") as f:
            f.write(w[0].private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
        ok(str(make_vkey(wv[0].name, 4, load_private_key(pem))) == str(wv[0]), "vkey of a PEM file")
        ok(cosign_line(note_text_of(signed), wv[0].name, load_private_key(pem), now) == c[0],
           "cosign of a PEM file writes the same line (Ed25519 is deterministic)")
    print("1..%d" % n[0])
    return 1 if n[1] else 0


def _try(f, *a):
    try:
        return f(*a)
    except Bad as e:
        return e


def main(argv):
    cmds = {"vkey-parse": cmd_vkey_parse, "verify": cmd_verify, "cosign": cmd_cosign,
            "vkey": cmd_vkey, "sign": cmd_sign, "sig-parse": cmd_sig_parse, "selftest": cmd_selftest}
    if len(argv) < 2 or argv[1] not in cmds:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        return cmds[argv[1]](argv[2:])
    except Bad as e:
        print("bad note: %s" % e, file=sys.stderr)
        return 1
    except Usage as e:
        print("c2sp_verify.py: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
