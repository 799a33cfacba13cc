package main

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
)

type Case struct {
	Fn     string            `json:"fn"`
	Format string            `json:"format,omitempty"`
	Args   []json.RawMessage `json:"args"`
	Want   string            `json:"want"`
}

func num(raw any) float64 {
	switch v := raw.(type) {
	case float64:
		return v
	case string:
		switch v {
		case "NaN":
			return math.NaN()
		case "+Inf":
			return math.Inf(1)
		case "-Inf":
			return math.Inf(-1)
		case "-0":
			return math.Copysign(0, -1)
		}
		f, _ := strconv.ParseFloat(v, 64)
		return f
	}
	panic(fmt.Sprint("bad float", raw))
}

func conv(x any) any {
	switch v := x.(type) {
	case nil, bool, string:
		return v
	case []any:
		tag := v[0].(string)
		switch tag {
		case "i":
			n, _ := strconv.ParseInt(v[1].(string), 10, 64)
			return int(n)
		case "f":
			return num(v[1])
		case "b":
			b, _ := hex.DecodeString(v[1].(string))
			return b
		case "l":
			out := []any{}
			for _, e := range v[1].([]any) {
				out = append(out, conv(e))
			}
			return out
		case "m":
			out := map[string]any{}
			for k, e := range v[1].(map[string]any) {
				out[k] = conv(e)
			}
			return out
		case "t":
			return typed(v[1].(string), v[2])
		}
	}
	panic(fmt.Sprint("bad arg ", x))
}

func typed(t string, raw any) any {
	s, _ := raw.(string)
	i, _ := strconv.ParseInt(s, 10, 64)
	u, _ := strconv.ParseUint(s, 10, 64)
	switch t {
	case "int8":
		return int8(i)
	case "int16":
		return int16(i)
	case "int32":
		return int32(i)
	case "int64":
		return i
	case "uint":
		return uint(u)
	case "uint8":
		return uint8(u)
	case "uint16":
		return uint16(u)
	case "uint32":
		return uint32(u)
	case "uint64":
		return u
	case "uintptr":
		return uintptr(u)
	case "float32":
		return float32(num(raw))
	case "[]string":
		out := []string{}
		for _, e := range raw.([]any) {
			out = append(out, e.(string))
		}
		return out
	case "[]int":
		out := []int{}
		for _, e := range raw.([]any) {
			n, _ := strconv.Atoi(e.(string))
			out = append(out, n)
		}
		return out
	case "[]uint64":
		out := []uint64{}
		for _, e := range raw.([]any) {
			n, _ := strconv.ParseUint(e.(string), 10, 64)
			out = append(out, n)
		}
		return out
	case "map[string]string":
		out := map[string]string{}
		for k, e := range raw.(map[string]any) {
			out[k] = e.(string)
		}
		return out
	case "[]string(nil)":
		return []string(nil)
	case "map[string]string(nil)":
		return map[string]string(nil)
	}
	panic("bad type " + t)
}

func main() {
	var cases []Case
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		panic(err)
	}
	for i := range cases {
		c := &cases[i]
		args := []any{}
		for _, r := range c.Args {
			var x any
			if err := json.Unmarshal(r, &x); err != nil {
				panic(err)
			}
			args = append(args, conv(x))
		}
		switch c.Fn {
		case "sprint":
			c.Want = fmt.Sprint(args...)
		case "sprintln":
			c.Want = fmt.Sprintln(args...)
		default:
			c.Want = fmt.Sprintf(c.Format, args...)
		}
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "")
	enc.Encode(cases)
}
