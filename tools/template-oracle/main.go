// Command template-oracle renders Go templates with the real text/template, sprig and ESO's
// template functions. Ferry's differential tests feed it JSON lines and compare its answers
// with the TypeScript engine's.
//
// Protocol (default mode, "serve"): one JSON object per stdin line,
//
//	{"id":1,"template":"{{.a}}","data":{"a":"x"},"dataKind":"json",
//	 "leftDelim":"{{","rightDelim":"}}","missingKey":"error","name":"tpl"}
//
// answered by one JSON line on stdout,
//
//	{"id":1,"ok":true,"output":"<base64 of the output bytes>"}
//	{"id":1,"ok":false,"phase":"parse"|"exec"|"input","error":"..."}
//
// dataKind selects how "data" is decoded:
//   - "json" (default): encoding/json into interface{} (objects → map[string]interface{},
//     numbers → float64), plus type tags, see decodeTagged.
//   - "stringMap": map[string]string, as ESO's template data; values are strings or
//     {"$b64":"..."} for raw bytes.
//
// Bench mode: `template-oracle bench` reads one JSON object
//
//	{"templates":{"key":"tpl",...},"data":{...},"dataKind":"stringMap","n":10000}
//
// and prints {"n":..,"nsPerOp":..,"nsPerOpExecOnly":..}. One op renders every template once,
// parsing each time as ESO does; nsPerOpExecOnly reuses parsed templates.
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"text/template"
	"time"
)

type request struct {
	ID         json.RawMessage `json:"id"`
	Template   string          `json:"template"`
	Data       json.RawMessage `json:"data"`
	DataKind   string          `json:"dataKind"`
	LeftDelim  string          `json:"leftDelim"`
	RightDelim string          `json:"rightDelim"`
	MissingKey string          `json:"missingKey"`
	Name       string          `json:"name"`
}

type response struct {
	ID     json.RawMessage `json:"id,omitempty"`
	OK     bool            `json:"ok"`
	Output string          `json:"output,omitempty"`
	Phase  string          `json:"phase,omitempty"`
	Error  string          `json:"error,omitempty"`
}

func main() {
	mode := "serve"
	if len(os.Args) > 1 {
		mode = os.Args[1]
	}
	var err error
	switch mode {
	case "serve":
		err = serve(os.Stdin, os.Stdout)
	case "bench":
		err = bench(os.Stdin, os.Stdout)
	case "funcs":
		err = listFuncs(os.Stdout)
	default:
		err = fmt.Errorf("unknown mode %q: use serve, bench or funcs", mode)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "template-oracle:", err)
		os.Exit(1)
	}
}

func serve(in io.Reader, out io.Writer) error {
	funcs := funcMap()
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	w := bufio.NewWriter(out)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		if err := enc.Encode(handle(line, funcs)); err != nil {
			return err
		}
		// Flush per line: the caller may wait for each answer before sending more.
		if err := w.Flush(); err != nil {
			return err
		}
	}
	return sc.Err()
}

func handle(line []byte, funcs template.FuncMap) (resp response) {
	var req request
	if err := json.Unmarshal(line, &req); err != nil {
		return response{Phase: "input", Error: "bad request: " + err.Error()}
	}
	resp.ID = req.ID
	data, err := decodeData(req.Data, req.DataKind)
	if err != nil {
		resp.Phase, resp.Error = "input", err.Error()
		return resp
	}
	tpl, err := parse(&req, funcs)
	if err != nil {
		resp.Phase, resp.Error = "parse", err.Error()
		return resp
	}
	out, err := run(tpl, data)
	if err != nil {
		resp.Phase, resp.Error = "exec", err.Error()
		return resp
	}
	resp.OK = true
	resp.Output = base64.StdEncoding.EncodeToString(out)
	return resp
}

func parse(req *request, funcs template.FuncMap) (tpl *template.Template, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic while parsing: %v", r)
		}
	}()
	name := req.Name
	if name == "" {
		name = "tpl"
	}
	t := template.New(name).Funcs(funcs).Delims(req.LeftDelim, req.RightDelim)
	if req.MissingKey != "" {
		t = t.Option("missingkey=" + req.MissingKey)
	}
	return t.Parse(req.Template)
}

func run(tpl *template.Template, data interface{}) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic while executing: %v", r)
		}
	}()
	var buf bytes.Buffer
	err = tpl.Execute(&buf, data)
	return buf.Bytes(), err
}

func decodeData(raw json.RawMessage, kind string) (interface{}, error) {
	if len(raw) == 0 || string(raw) == "null" {
		if kind == "stringMap" {
			return map[string]string{}, nil
		}
		return nil, nil
	}
	switch kind {
	case "", "json":
		var v interface{}
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, fmt.Errorf("bad data: %w", err)
		}
		return decodeTagged(v)
	case "stringMap":
		return decodeStringMap(raw)
	default:
		return nil, fmt.Errorf("unknown dataKind %q", kind)
	}
}

func decodeStringMap(raw json.RawMessage) (map[string]string, error) {
	var m map[string]interface{}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("bad stringMap data: %w", err)
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		switch x := v.(type) {
		case string:
			out[k] = x
		case map[string]interface{}:
			b, err := tagBytes(x, "$b64")
			if err != nil {
				return nil, fmt.Errorf("stringMap key %q: %w", k, err)
			}
			out[k] = string(b)
		default:
			return nil, fmt.Errorf("stringMap key %q: value must be a string or {\"$b64\":...}", k)
		}
	}
	return out, nil
}

// decodeTagged turns single-key objects whose key starts with "$" into Go values JSON cannot
// express: {"$int":"5"} int, {"$int64":"5"} int64, {"$uint8":"5"} uint8, {"$float":"1e3"}
// float64, {"$b64":"..."} string of raw bytes, {"$bytes":"..."} []byte (base64),
// {"$strings":["a"]} []string, {"$stringMap":{"k":"v"}} map[string]string,
// {"$ints":["1"]} []int. Other objects and arrays are walked recursively.
func decodeTagged(v interface{}) (interface{}, error) {
	switch x := v.(type) {
	case map[string]interface{}:
		if tag, ok := singleTag(x); ok {
			return decodeTag(tag, x[tag])
		}
		for k, e := range x {
			d, err := decodeTagged(e)
			if err != nil {
				return nil, err
			}
			x[k] = d
		}
		return x, nil
	case []interface{}:
		for i, e := range x {
			d, err := decodeTagged(e)
			if err != nil {
				return nil, err
			}
			x[i] = d
		}
		return x, nil
	default:
		return v, nil
	}
}

func singleTag(m map[string]interface{}) (string, bool) {
	if len(m) != 1 {
		return "", false
	}
	for k := range m {
		if len(k) > 1 && k[0] == '$' {
			return k, true
		}
	}
	return "", false
}

func decodeTag(tag string, v interface{}) (interface{}, error) {
	s, _ := v.(string)
	switch tag {
	case "$int":
		n, err := strconv.ParseInt(s, 10, 0)
		return int(n), err
	case "$int64":
		return strconv.ParseInt(s, 10, 64)
	case "$uint8":
		n, err := strconv.ParseUint(s, 10, 8)
		return uint8(n), err
	case "$float":
		return strconv.ParseFloat(s, 64)
	case "$b64":
		b, err := base64.StdEncoding.DecodeString(s)
		return string(b), err
	case "$bytes":
		return base64.StdEncoding.DecodeString(s)
	case "$strings":
		return stringList(v)
	case "$ints":
		return intList(v)
	case "$stringMap":
		raw, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		return decodeStringMap(raw)
	}
	return nil, fmt.Errorf("unknown type tag %q", tag)
}

func tagBytes(m map[string]interface{}, tag string) ([]byte, error) {
	s, ok := m[tag].(string)
	if !ok || len(m) != 1 {
		return nil, fmt.Errorf("expected {%q: string}", tag)
	}
	return base64.StdEncoding.DecodeString(s)
}

func stringList(v interface{}) ([]string, error) {
	arr, ok := v.([]interface{})
	if !ok {
		return nil, errors.New("$strings needs an array")
	}
	out := make([]string, len(arr))
	for i, e := range arr {
		s, ok := e.(string)
		if !ok {
			return nil, errors.New("$strings needs an array of strings")
		}
		out[i] = s
	}
	return out, nil
}

func intList(v interface{}) ([]int, error) {
	strs, err := stringList(v)
	if err != nil {
		return nil, errors.New("$ints needs an array of decimal strings")
	}
	out := make([]int, len(strs))
	for i, s := range strs {
		n, err := strconv.Atoi(s)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

type benchRequest struct {
	Templates  map[string]string `json:"templates"`
	Data       json.RawMessage   `json:"data"`
	DataKind   string            `json:"dataKind"`
	MissingKey string            `json:"missingKey"`
	N          int               `json:"n"`
}

type benchResult struct {
	N               int     `json:"n"`
	Keys            int     `json:"keys"`
	NsPerOp         float64 `json:"nsPerOp"`
	NsPerOpExecOnly float64 `json:"nsPerOpExecOnly"`
	OutputBytes     int     `json:"outputBytes"`
}

func bench(in io.Reader, out io.Writer) error {
	var req benchRequest
	if err := json.NewDecoder(in).Decode(&req); err != nil {
		return fmt.Errorf("bad bench request: %w", err)
	}
	if req.N <= 0 {
		req.N = 1000
	}
	if req.MissingKey == "" {
		req.MissingKey = "error"
	}
	data, err := decodeData(req.Data, req.DataKind)
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(req.Templates))
	for k := range req.Templates {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	funcs := funcMap()
	// ESO parses every template on every render: template.New(key).Option(...).Funcs(...).Parse.
	renderAll := func() (int, error) {
		total := 0
		for _, k := range keys {
			t, err := template.New(k).Option("missingkey=" + req.MissingKey).Funcs(funcs).Parse(req.Templates[k])
			if err != nil {
				return 0, err
			}
			var buf bytes.Buffer
			if err := t.Execute(&buf, data); err != nil {
				return 0, err
			}
			total += buf.Len()
		}
		return total, nil
	}
	size, err := renderAll()
	if err != nil {
		return err
	}
	start := time.Now()
	for i := 0; i < req.N; i++ {
		if _, err := renderAll(); err != nil {
			return err
		}
	}
	perOp := float64(time.Since(start).Nanoseconds()) / float64(req.N)

	parsed := make([]*template.Template, len(keys))
	for i, k := range keys {
		parsed[i] = template.Must(template.New(k).Option("missingkey=" + req.MissingKey).Funcs(funcs).Parse(req.Templates[k]))
	}
	start = time.Now()
	var buf bytes.Buffer
	for i := 0; i < req.N; i++ {
		for _, t := range parsed {
			buf.Reset()
			if err := t.Execute(&buf, data); err != nil {
				return err
			}
		}
	}
	execOnly := float64(time.Since(start).Nanoseconds()) / float64(req.N)
	return json.NewEncoder(out).Encode(benchResult{N: req.N, Keys: len(keys), NsPerOp: perOp, NsPerOpExecOnly: execOnly, OutputBytes: size})
}

// listFuncs prints {"sprig":[...],"eso":[...]}: the names each source adds to the FuncMap.
func listFuncs(out io.Writer) error {
	all := funcMap()
	eso := esoFuncs()
	lists := map[string][]string{"sprig": {}, "eso": {}}
	for k := range all {
		if _, ok := eso[k]; ok {
			lists["eso"] = append(lists["eso"], k)
		} else {
			lists["sprig"] = append(lists["sprig"], k)
		}
	}
	sort.Strings(lists["sprig"])
	sort.Strings(lists["eso"])
	return json.NewEncoder(out).Encode(lists)
}
