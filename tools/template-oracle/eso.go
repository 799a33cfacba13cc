package main

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"text/template"

	"github.com/Masterminds/sprig/v3"
	estemplate "github.com/external-secrets/external-secrets/pkg/template/v2"
)

// esoFuncs returns ESO's own template functions, taken from ESO's template package (v0.20.4,
// the newest ESO whose template package is importable from the module proxy: later releases
// moved it into a nested "runtime" module that the proxy does not serve).
//
// ESO's FuncMap also carries sprig's functions; only the names sprig does not define are ESO's.
// getSecretKey needs a live cluster and was removed from newer ESO, so it is left out.
// certSANs arrived after v0.20.4; certSANs below follows its documented behaviour.
func esoFuncs() template.FuncMap {
	sprigNames := sprig.GenericFuncMap()
	out := template.FuncMap{}
	for name, fn := range estemplate.FuncMap() {
		if _, isSprig := sprigNames[name]; isSprig || name == "getSecretKey" {
			continue
		}
		out[name] = fn
	}
	out["certSANs"] = certSANs
	return out
}

// certSANs lists a PEM certificate's subject alternative names: DNS names, then IP addresses,
// then e-mail addresses, then URIs.
func certSANs(input string) ([]string, error) {
	block, _ := pem.Decode([]byte(input))
	if block == nil {
		return nil, errors.New("failed to decode PEM block")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("failed to parse certificate: %w", err)
	}
	sans := make([]string, 0, len(cert.DNSNames)+len(cert.IPAddresses)+len(cert.EmailAddresses)+len(cert.URIs))
	sans = append(sans, cert.DNSNames...)
	for _, ip := range cert.IPAddresses {
		sans = append(sans, ip.String())
	}
	sans = append(sans, cert.EmailAddresses...)
	for _, u := range cert.URIs {
		sans = append(sans, u.String())
	}
	return sans, nil
}
