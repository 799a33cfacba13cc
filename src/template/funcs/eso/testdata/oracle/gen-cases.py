"""Writes cases.in.json: ESO template function cases over the fixtures in ../ (see README.md)."""
import base64, json, os

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, '..')

def text(name):
    return open(os.path.join(FIX, name)).read()

def b64(name):
    return {"b64": base64.b64encode(open(os.path.join(FIX, name), 'rb').read()).decode()}

cases = []
def case(tpl, **data):
    cases.append({"tpl": tpl, "data": data})

crt, key, chain, shuffled = text('foo.crt'), text('foo.key'), text('chain.pem'), text('chain-shuffled.pem')
inter_chain, disjunct, root = text('intermediate-chain.pem'), text('disjunct-chain.pem'), text('root-ca.crt')
for p12, pw in [('foo-nopass.p12', ''), ('foo-withpass-1234.p12', '1234'), ('foo-legacy-1234.p12', '1234'), ('intermediate-ec-nopass.p12', '')]:
    if pw:
        case('{{ .p | pkcs12keyPass "%s" }}' % pw, p=b64(p12))
        case('{{ .p | pkcs12certPass "%s" }}' % pw, p=b64(p12))
        case('{{ .p | pkcs12certPass "wrong" }}', p=b64(p12))
        case('{{ .p | pkcs12key }}', p=b64(p12))
    else:
        case('{{ .p | pkcs12key }}', p=b64(p12))
        case('{{ .p | pkcs12cert }}', p=b64(p12))
case('{{ .p | pkcs12cert }}', p=b64('foo-disjunct-nopass.p12'))
case('{{ .p | pkcs12key }}', p=b64('ed25519-nopass.p12'))
case('{{ .p | pkcs12cert }}', p=b64('ed25519-nopass.p12'))
case('{{ .s | certSANs | len }}', s=text('ed25519.crt'))
case('{{ .s | filterCertChain "root" }}', s=text('ed25519.crt'))
case('{{ pemToPkcs12 .c .k | len | lt 100 }}', c=text('ed25519.crt'), k=text('ed25519.key'))
case('{{ .p | pkcs12key }}', p='junk')
case('{{ .p | pkcs12cert }}', p='')

for kind in ['CERTIFICATE', 'certificate', 'PRIVATE KEY', 'RSA PRIVATE KEY']:
    case('{{ .s | filterPEM "%s" }}' % kind, s=key + chain)
case('{{ .s | filterPEM "CERTIFICATE" }}', s='junk before\n' + crt + 'junk between\n' + root)
case('{{ .s | filterPEM "PRIVATE KEY" }}', s='junk before\n' + crt + 'junk after')
case('{{ .s | filterPEM "CERTIFICATE" }}', s='junk only')
case('{{ .s | filterPEM "CERTIFICATE" }}', s='')
case('{{ .s | filterPEM "X" }}', s='-----BEGIN X-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\nB: c\n\nAAAA\n-----END X-----\n')
case('{{ .s | filterPEM "CERTIFICATE" }}', s=crt.replace('\n', '\r\n'))
case('{{ .s | filterPEM "CERTIFICATE" }}', s='  ' + crt)
case('{{ .s | filterPEM "CERTIFICATE" }}', s=crt[:-30])

for which in ['leaf', 'intermediate', 'root', 'other']:
    for name, s in [('chain', chain), ('shuffled', shuffled), ('inter', inter_chain), ('root', root), ('disjunct', disjunct), ('leafonly', crt)]:
        case('{{ .s | filterCertChain "%s" }}' % which, s=s)
case('{{ .s | filterCertChain "leaf" }}', s='junk')
case('{{ .s | filterCertChain "leaf" }}', s=root + root)

case('{{ .s | certSANs }}', s=crt)
case('{{ range .s | certSANs }}[{{ . }}]{{ end }}', s=crt)
case('{{ .s | certSANs | len }}', s=root)
case('{{ .s | certSANs }}', s='junk\n' + crt)
case('{{ .s | certSANs }}', s='junk')
case('{{ .s | certSANs }}', s='-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')

ct = lambda n: b64(n)
for h, f in [('SHA256', 'oaep-sha256.bin'), ('SHA1', 'oaep-sha1.bin'), ('SHA512', 'oaep-sha512.bin'), ('None', 'oaep-sha256.bin'), ('MD5', 'oaep-sha256.bin'), ('SHA1', 'oaep-sha256.bin')]:
    case('{{ rsaDecrypt "RSA-OAEP" "%s" .c .k }}' % h, c=ct(f), k=key)
case('{{ rsaDecrypt "RSA-OAEP" "SHA256" .c .k }}', c=ct('oaep-sha256.bin'), k=text('foo-pkcs1.key'))
case('{{ rsaDecrypt "RSA-OAEP" "SHA256" .c .k }}', c=ct('oaep-sha256.bin'), k=text('root-ca.key'))
case('{{ rsaDecrypt "RSA-OAEP" "SHA256" .c .k }}', c=ct('oaep-sha256.bin'), k=crt)
case('{{ rsaDecrypt "RSA-OAEP" "SHA256" .c .k }}', c=ct('oaep-sha256.bin'), k='nope')
case('{{ rsaDecrypt "None" "SHA256" .c .k }}', c='plain', k='')
case('{{ rsaDecrypt "AES" "SHA256" .c .k }}', c='plain', k='')

jwks = {
  'ec_pub': '{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}',
  'ec_priv': '{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}',
  'ed_pub': '{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}',
  'ed_priv': '{"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}',
  'oct': '{"kty":"oct","k":"AAAA"}',
  'bad': 'not json',
}
jwks['rsa_pub'] = open(os.path.join(FIX, 'rsa-pub.jwk')).read()
jwks['rsa_priv'] = open(os.path.join(FIX, 'rsa-priv.jwk')).read()
for i, bad in enumerate(['', '{', '{"a":1,}', '[1,]', '{"a" 1}', '"abc', 'tru', '1.', '{"a":"\\x"}', '[1 2]', '{}x', 'é', '{"kty":"XYZ"}']):
    jwks['bad%d' % i] = bad
for name, j in jwks.items():
    case('{{ .j | jwkPublicKeyPem }}', j=j)
    case('{{ .j | jwkPrivateKeyPem }}', j=j)

for v in [{"b": 1, "a": "x", "c": [1, 2.5, "true", "yes", "on", "", "a: b", "- x", "multi\nline", "123", "1e3", None, True]},
          {"a10": 1, "a2": 2, "a1": 3, "B": 4, "b": 5, "_x": 6, "1": 7, "10": 8, "9": 9, "a01": 10, "a001": 11, "é": 12},
          {"long": "word " * 30, "longq": "'" + "word " * 30 + "'", "longd": "\t" + "word " * 30},
          {"nested": {"x": {"y": [{"a": 1, "b": 2}, [1, 2], [], {}]}}, "e": [], "m": {}},
          "hello", None, [1, "a"], "multi\nline\ntext\n", "trailing \n", " lead\nx", "a\n\nb", "x\n\n",
          {"k": "a\u0085b", "u": "\u2028", "bom": "\ufeffx", "nb": "a\u00a0b", "emoji": "😀", "ctl": "\u001b", "q": "\"", "bs": "\\"},
          {"multi\nkey": 1, "key with space": 2, "": 3, "-": 4, "?x": 5, "a:": 6},
          {"f": [1.5, -0.0, 123456789012, 1e-7, 3.0, 12345678.9, 1e20, 1e21, 2**63, 2**64, 0.1]},
          {"s": ["0x1F", "0777", "1_000", "1:20", "2001-12-14", "~", "Null", "<<", ".inf", "-.Inf", ".NaN", "+1", "1.", ".5", "0b101", "0o17", "Yes", "OFF", "y", "n", "ok"]},
          {"i": ["#", "a #b", "a# b", "@x", "%x", "`x", "!x", "|x", ">x", "&x", "*x", "[x", "]x", "{x", "}x", ",x", "a,b", "a: b", "a:b", "x:", "- ", "-x", "? x", "?x", "---", "...", "--- x", "a'b", "a\"b"]}]:
    case('{{ toYaml .v }}', v=v)
case('{{ .v | toYaml | fromYaml | toYaml }}', v={"a": [1, {"b": "c"}]})
case('{{ toYaml .v }}', v=["a\r\nb", "a \nb", "a\n b", "\tx", "x\t", " x ", "x\n", "\nx", "a\u2028b", "a\u0085", "a - b", "a -b", "-", "a#", "a #", "#a", "a:", ":a", "a: ", "key: value",
    "x " * 50, "'" * 3 + " y" * 45, "\t" + "z " * 45, "a\n" * 3, "  lead\ntext", "trail  \nx", "é" * 90, "日本語 " * 30, "a\u00a0b", "\u00a0", "tab\tin middle of a line", "http://example.com/a?b=c#d"])
case('{{ toYaml .v }}', v={"x" * 130: 1, "a b": {"c d": [{"e": [1, 2]}, "f"]}, "emptyinner": {"e": {}, "l": []}})

for s in ["a: 1\nb: yes\nc: [1, 2.5, x]\nd: {e: null}\nf: 1000000\ng: 0x1F\nh: 0777\ni: '123'\nj: 2001-12-14\nk: ~\nl: 1_000\nn: on\no: 1:20\n",
          "1: int key\ntrue: bool key\n1.5: f", "a: 12345678901234567890", "a: !!binary aGVsbG8=\nb: &x 1\nc: *x\nd:\n  <<: {e: 1}\n  f: 2\n",
          "a: |\n  multi\n  line\nb: >\n  folded\n  text\n", "- a\n- b", "", "just a string", "a: 1\na: 2", "a: .inf", "42", "true", "~", "# only a comment\n",
          "a:\n  - 1\n  - x: y\n", "a: 'single'\nb: \"dq\\tx\"\n",
          "a: 1\n---\nb: 2\n", "---\na: 1\n", "a: 1 # c\nb: \"x\\ty\"\nc: 'it''s'\n",
          "a: -1\nb: +1\nc: 1e3\nd: 0.1\ne: -0.0\nf: 01\ng: 0o7\nh: 0b11\ni: 1_0\nj: .5\nk: 5.\nl: 1e400\nm: 0x_1F\nn: -0x1F\n",
          "? complex\n: value\n", "a: !!str 1\nb: !!int \"2\"\nc: !custom x\n", "a: Yes\nb: NO\nc: Off\nd: y\ne: N\nf: TRUE\n",
          "a: 9223372036854775807\nb: 9223372036854775808\nc: -9223372036854775809\n", "a: [1, [2, {b: c}]]\n", "a: \"\\u00e9\"\n"]:
    case('{{ printf "%v" (fromYaml .s) }}', s=s)
case('{{ (fromYaml .s).a | printf "%T %v" }}', s="a: 1")
case('{{ (fromYaml .s).a | printf "%T %v" }}', s="a: [1, 2]")
case('{{ (fromYaml .s).Error }}', s="a: [1")

case('{{ pemToPkcs12 .c .k | len | lt 100 }}', c=crt, k=key)
case('{{ pemToPkcs12 .c .k }}', c='junk', k=key)
case('{{ pemToPkcs12 .c .k }}', c=crt, k='junk')
case('{{ pemToPkcs12 .c .k }}', c=crt, k='-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n')
case('{{ fullPemToPkcs12 .c .k | len | lt 100 }}', c=chain, k=key)
case('{{ pemTruststoreToPKCS12 .c }}', c=chain + 'junk')
case('{{ pemTruststoreToPKCS12 .c }}', c='junk')

json.dump(cases, open(os.path.join(HERE, 'cases.in.json'), 'w'))
print(len(cases))
