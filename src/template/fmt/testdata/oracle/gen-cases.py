import json, itertools
cases = []
def pf(fmt, *args): cases.append({"fn": "sprintf", "format": fmt, "args": list(args)})
def I(n): return ["i", str(n)]
def F(x): return ["f", x]
def T(t, v): return ["t", t, v]
def B(h): return ["b", h]
def L(*xs): return ["l", list(xs)]
def M(**kw): return ["m", kw]

ints = [I(0), I(1), I(-1), I(12345), I(-12345), I(255), I(9223372036854775807), I(-9223372036854775808), I(0x1F600), I(65)]
int_verbs = ["%d","%5d","%-5d|","%05d","%+d","% d","%x","%X","%#x","%#X","%#o","%o","%O","%b","%#b",
  "%.3d","%.0d","%8.3d","%-08d|","%c","%q","%+q","%#q","%U","%#U","%v","%#v","%+v","%T","%s","%e","%t","%10.5x","%+05d","% 05d","%#8x","%.20d","%-#10o|","%08.3d","%#.3U","%#10U|","%5c|","%-5q|","%p"]
for v in ints:
    for f in int_verbs: pf(f, v)
for t, v in [("int8","-5"),("int16","300"),("int32","-70000"),("int64","-9223372036854775808"),("uint","7"),("uint8","200"),("uint16","65535"),("uint32","4294967295"),("uint64","18446744073709551615"),("uintptr","4096")]:
    for f in ["%v","%#v","%d","%x","%X","%T","%o","%b","%c","%q","%U","%+d","%08b"]: pf(f, T(t, v))

floats = [0, "-0", 1, 1.5, -1.5, 0.1, 1e6, 1e21, 1e20, 1e-5, 1e-4, 123456789, 3.141592653589793, 1e100, 5e-324, 1.7976931348623157e308,
          "NaN", "+Inf", "-Inf", 0.5, 2.5, 0.125, 100000, 1234567, 0.000123, 2.675, 1.005, 999999.5, 9.5, 0.05, 1e-7, 123.456, -0.0001234, 2**53, 1/3]
float_verbs = ["%v","%#v","%+v","%g","%G","%e","%E","%f","%F","%.0f","%.1f","%.2f","%.3e","%.3g","%10.2f|","%-10.2f|","%010.2f","%+.2f","% .2f",
  "%#g","%#.3g","%#e","%#f","%#.0f","%#.0e","%b","%x","%X","%.2x","%#x","%#.0x","%8v|","%08v","%+08v","%-08v|","%T","%d","%s","%q","%.20f","%.30e","%.25g","%.0g","%.1g","%#.4x","% x","%+e","%012.4e","%-12.3G|","%.3v","%#.3v","%10v|","%+10.3f","%010v","% 010.3f","%t"]
for v in floats:
    for f in float_verbs: pf(f, F(v))
for v in [0.1, 1.5, 3.4028234663852886e38, 1e-45, 16777216, 1e10, 0.3, 2.5]:
    for f in ["%v","%g","%e","%f","%T","%#v","%.3f","%b","%x","%.10g"]: pf(f, T("float32", v))

strs = ["", "hi", "héllo", "日本語", "a\tb\n", "\x00\x7f", "`quoted`", "\u00a0\u00ad", "\ufeff", "😀", '"\\', "\u2028", "abc\u0301", "\x07\x08\x0c\x0b\r", "\u200b", "tab\there", "'single'"]
str_verbs = ["%s","%v","%#v","%q","%#q","%+q","%#+q","%x","%X","% x","%#x","% #x","% #X","%.2s","%.2q","%.1x","%.0s","%5s|","%-5s|","%05s","%5.1s|","%T","%d","%c","%10q|","%U","%-10x|","%10x|","%.3x","%+v","%8.2v|"]
for v in strs:
    for f in str_verbs: pf(f, v)
for h in ["", "6869", "00ff80", "c3a9", "ff", "e697a5e69cac"]:
    for f in ["%s","%v","%#v","%d","%x","%X","% x","%#x","%q","%#q","%o","%c","%T","%5s|","%.1s","%t","%+q","%05d","%-4v|","%.1x","%8x|","%p"]: pf(f, B(h))
for v in [True, False]:
    for f in ["%t","%v","%#v","%5t|","%-6t|","%d","%T","%q","%s","%05t"]: pf(f, v)
for f in ["%v","%d","%s","%T","%#v","%5v|","%-5v|","%x","%q","%p","%t"]: pf(f, None)

slices = [L(I(1), "a", None, F(1.5), True), L(), L(L(I(1), I(2)), L("x")), T("[]string", ["a", "b c"]), T("[]int", ["1", "-2"]), T("[]uint64", ["1", "255"]),
          L(B("6869"), M(a=I(1))), L("é", "x\ny"), T("[]string(nil)", None), L(F(1e6), F(0.5), I(-3))]
for v in slices:
    for f in ["%v","%#v","%d","%s","%x","%X","%q","%T","%+v","%5v|","%05d","%-4d|","%.1f","%t","%p","%c","%U","%#x","%e","%o"]: pf(f, v)
maps = [M(a=I(1), b="x", c=None), M(), M(m=M(x=I(1)), l=L(I(1), "s")), T("map[string]string", {"k": "v", "a": "b"}), T("map[string]string(nil)", None),
        ["m", {"é": I(1), "z": I(2), "A": I(3), "😀": I(4), "\uffff": I(5), "": I(6), "a b": I(7)}], M(f=F(2.5), t=True, b=B("00"))]
for v in maps:
    for f in ["%v","%#v","%d","%s","%x","%q","%T","%+v","%5v|","%t","%p"]: pf(f, v)

errs = [("%d",), ("%!",), ("%",), ("%z", I(1)), ("%d %d", I(1)), ("%d", I(1), I(2), "x", None), ("%[2]d %[1]d", I(1), I(2)),
  ("%[3]d", I(1), I(2)), ("%[0]d", I(1)), ("%[x]d", I(1)), ("%[1]d %d", I(1), I(2)), ("%[2]*[1]d", I(12), I(5)), ("%*d", "x", I(5)),
  ("%.*d", I(-1), I(5)), ("%-*d|", I(-5), I(3)), ("%*d|", I(-5), I(3)), ("%*d", I(10000000), I(5)), ("%[1]2d", I(1)), ("%[1].2d", I(1)), ("%.d", I(0)),
  ("%5.d|", I(0)), ("%100000000d", I(1)), ("%.f", F(1.5)), ("%[2]", I(1)), ("%[-1]d", I(1)), ("%[1]d extra", I(1), I(2)), ("%d %% %d", I(1), I(2)),
  ("%5%", ), ("%-+ #0d", I(3)), ("%ü", I(1)), ("%😀", I(1)), ("%*.*f|", I(8), I(3), F(3.14159)), ("%[3]*.[2]*[1]f", F(12.0), I(2), I(6)),
  ("%d %d %#[1]x %#x", I(16), I(17)), ("%[5]d", I(1), I(2)), ("%.[2]d", I(1), I(2)), ("%[1]*d", I(3), I(4)), ("%*", I(3)), ("%.", I(1)), ("%5.", I(1)),
  ("%-", ), ("%[1]", I(1)), ("%[]d", I(1)), ("%[1", I(1)), ("%[12]d", I(1)), ("no verbs", I(1)), ("%s %s", "a"), ("%.*s", F(2.0), "abc"),
  ("%*d", T("uint8", "4"), I(1)), ("%*d", T("int64", "-3"), I(1)), ("%.*s", T("uint64", "18446744073709551615"), "abc"), ("héllo %s wörld", "é"),
  ("%v %v", None, L(None)), ("%s", L(None, "x")), ("%d", M(a=None)), ("%[2]v %v", I(1), I(2), I(3)), ("%!d(BADINDEX)",), ("%%%d%%", I(5)),
  ("%08.3f|%-8.3f|%+08.3f", F(-3.5), F(3.5), F(3.5)), ("%x %X", F(-1.0), F(1.0/3)), ("%#-8x|", I(255)), ("%0-8d|", I(5)), ("%-08d|", I(5)), ("%+-8d|", I(5))]
for e in errs: pf(*e)

def pr(fn, *args): cases.append({"fn": fn, "args": list(args)})
for args in [("a", I(1), I(2), "b"), (I(1), I(2)), ("a", "b"), (None, None), (F(1.5), "x", True, False), (B("6869"),), (), (L(I(1)), M(a=I(1)), I(3)),
             (T("int64", "5"), T("uint8", "6")), ("", I(1), ""), (F(1e6), F(1e21), F(100000.0))]:
    pr("sprint", *args); pr("sprintln", *args)
import random, struct
rnd = random.Random(42)
for k in range(300):
    bits = rnd.getrandbits(64)
    x = struct.unpack('<d', struct.pack('<Q', bits))[0]
    if x != x or x in (float('inf'), float('-inf')): continue
    if k % 3 == 0: x = rnd.uniform(-1000, 1000)
    if k % 3 == 1: x = round(rnd.uniform(-10, 10), rnd.randint(0, 4))
    f = ["%v", "%.17g", "%e", "%.3f", "%g", "%.5e", "%.0f", "%.12f", "%x", "%b"][k % 10]
    pf(f, F(x))
    pf("%v", T("float32", x))
cases = [c for c in cases if not (c.get("format") == "%p" and c["args"] and isinstance(c["args"][0], list) and c["args"][0][0] in ("b", "l", "m", "t") and not (c["args"][0][0] == "t" and c["args"][0][1] in ("int8","uint8","int64","uint64","int16","int32","uint","uint16","uint32","uintptr","float32")))]
json.dump(cases, open("cases.in.json", "w"))

