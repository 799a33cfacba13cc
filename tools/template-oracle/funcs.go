package main

import (
	"text/template"

	"github.com/Masterminds/sprig/v3"
)

// funcMap is the function table ESO gives its templates: sprig's text functions without the
// ones ESO removes (they read the environment or the network), plus ESO's own functions.
func funcMap() template.FuncMap {
	m := sprig.TxtFuncMap()
	for _, name := range []string{"env", "expandenv", "getHostByName"} {
		delete(m, name)
	}
	for name, fn := range esoFuncs() {
		m[name] = fn
	}
	return m
}
