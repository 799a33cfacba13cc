package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"text/template"

	tpl "x/tpl"
)

// Reads [{"tpl": "...", "data": {...}}] and prints the rendered output or error for each.
func main() {
	var cases []struct {
		Tpl  string         `json:"tpl"`
		Data map[string]any `json:"data"`
		Out  string         `json:"out"`
		Err  string         `json:"err,omitempty"`
	}
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		panic(err)
	}
	for i := range cases {
		c := &cases[i]
		t, err := template.New("t").Option("missingkey=error").Funcs(tpl.Funcs).Parse(c.Tpl)
		if err != nil {
			c.Err = err.Error()
			continue
		}
		data := map[string]any{}
		for k, v := range c.Data {
			data[k] = v
			if m, ok := v.(map[string]any); ok {
				if b64, ok := m["b64"].(string); ok {
					raw, _ := base64.StdEncoding.DecodeString(b64)
					data[k] = string(raw)
				}
			}
		}
		var b = &stringsBuilder{}
		if err := t.Execute(b, data); err != nil {
			c.Err = err.Error()
		}
		c.Out = b.s
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	enc.Encode(cases)
	_ = fmt.Sprint
}

type stringsBuilder struct{ s string }

func (b *stringsBuilder) Write(p []byte) (int, error) { b.s += string(p); return len(p), nil }
