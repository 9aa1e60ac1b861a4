package lesson

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"encoding/json"
	"math/rand"
	"strings"
	"testing"
)

func TestMapsStateJSON(t *testing.T) {
	m := newTestMaps()
	m.Select(0, 5, 13)
	js, err := json.Marshal(m.State())
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(js, &s); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]any{
		"lesson": "activation-maps", "input": "picture:0", "inputShape": "3 x 32 x 32",
		"filterShape": "6 x 3 x 5 x 5", "outputShape": "6 x 28 x 28", "kernelSize": 5.0,
		"padding": 0.0, "stride": 1.0, "relu": false, "centred": false, "sharedRange": false,
	} {
		if s[key] != want {
			t.Errorf("state %q = %v, want %v", key, s[key], want)
		}
	}
	maps := s["maps"].([]any)
	if len(maps) != 6 || maps[0].(map[string]any)["shape"] != "28 x 28" || !near(float32(maps[0].(map[string]any)["max"].(float64)), 4.5) {
		t.Errorf("maps %v", maps[0])
	}
	sel := s["selected"].(map[string]any)
	if !near(float32(sel["value"].(float64)), 4.5) || sel["terms"] != 75.0 || len(sel["field"].([]any)) != 4 || !strings.Contains(sel["dot"].(string), "bias 0 = 4.5") {
		t.Errorf("selected %v", sel)
	}
	stack := s["stack"].(map[string]any)["layers"].([]any)
	if got := stack[2].(map[string]any); got["batch"] != "N x 10 x 26 x 26 -> N x 12 x 24 x 24" || got["receptiveField"] != 9.0 {
		t.Errorf("stack layer 3 %v", got)
	}
	comp := s["compose"].(map[string]any)
	if comp["kernel"] != "1 x 3 x 5 x 5" || comp["maxDiff"].(float64) > 1e-5 || len(comp["weights"].([]any)) != 3 {
		t.Errorf("compose %v", comp)
	}
	filters := s["filters"].([]any)
	if f := filters[0].(map[string]any); f["name"] != "vertical edge" || len(f["weights"].([]any)) != 3 {
		t.Errorf("filter 0 %v", f)
	}
	// Every key is lowerCamelCase.
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if k == "" || strings.ToLower(k[:1]) != k[:1] || strings.ContainsAny(k, "_- ") {
					t.Errorf("key %q is not lowerCamelCase", k)
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(s)

	m.SetStride(2) // no maps: still valid JSON with the explanation
	if js, err = json.Marshal(m.State()); err != nil || !bytes.Contains(js, []byte(`"outputShape":""`)) || !bytes.Contains(js, []byte(`"shapeError":"(32 − 5 + 0)/2 + 1 = 14.5`)) {
		t.Errorf("stride 2 state: %v\n%s", err, js)
	}
}

// TestMapsSettingsRoundTrip changes everything a student can change, sends
// it through a link and rebuilds it in a fresh lesson with another seed:
// the two states are the same, stack and composition included.
func TestMapsSettingsRoundTrip(t *testing.T) {
	m := newTestMaps()
	m.SetInput(PadColour)
	m.SetInk(0.2, 0.4, 1)
	m.SetBrush(2.5)
	m.PadDown(3, 3)
	m.PadMove(28, 20)
	m.PadUp()
	m.SetKernelSize(3)
	m.SetWeight(1, 2, 0, 1, "−0.75")
	m.SetBias(4, "0.125")
	m.ApplyPreset(5, 0, "laplacian")
	m.SetPadding(1)
	m.SetReLU(true)
	m.SetCentred(true)
	m.SetSharedRange(true)
	m.SetComposePadding(1, 1)
	m.RandomizeComposition()

	link := m.Settings().Encode()
	s, err := DecodeMapsSettings(link)
	if err != nil {
		t.Fatal(err)
	}
	fresh := NewMaps(testSources(), rand.New(rand.NewSource(99)))
	if err := fresh.Restore(s); err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(m.State())
	b, _ := json.Marshal(fresh.State())
	if !bytes.Equal(a, b) {
		t.Errorf("restored state differs:\n%s\n%s", a, b)
	}
	if len(link) > 4000 {
		t.Errorf("a link of %d characters", len(link))
	}
}

func TestMapsSettingsRefusals(t *testing.T) {
	good := newTestMaps().Settings()
	encode := func(js string) string { return deflateLink([]byte(js)) }
	for name, link := range map[string]string{
		"not base64":     "!!!",
		"not deflate":    base64.RawURLEncoding.EncodeToString([]byte("plain")),
		"not JSON":       encode("{"),
		"version 2":      encode(`{"v":2}`),
		"huge float":     encode(`{"v":1,"k":1,"stride":1,"weights":[[1e39]],"bias":[0],"names":[""]}`),
		"no filters":     encode(`{"v":1,"k":1,"stride":1,"weights":[],"bias":[],"names":[]}`),
		"even kernel":    encode(`{"v":1,"k":2,"stride":1,"weights":[[1,1,1,1]],"bias":[0],"names":[""]}`),
		"ragged":         encode(`{"v":1,"k":1,"stride":1,"weights":[[1],[1,2,3]],"bias":[0,0],"names":["",""]}`),
		"two channels":   encode(`{"v":1,"k":1,"stride":1,"weights":[[1,2]],"bias":[0],"names":[""]}`),
		"too much":       encode(`{"v":1,"k":1,"stride":1,"weights":[[1e7]],"bias":[0],"names":[""]}`),
		"stride 0":       encode(`{"v":1,"k":1,"stride":0,"weights":[[1]],"bias":[0],"names":[""]}`),
		"a bomb":         encode(`{"v":1,"input":"` + strings.Repeat("a", maxJSON) + `"}`),
		"negative seed":  encode(`{"v":1,"k":1,"stride":1,"seed":-1,"weights":[[1]],"bias":[0],"names":[""]}`),
		"compose pad 3":  encode(`{"v":1,"k":1,"stride":1,"composePad":[3,0],"weights":[[1]],"bias":[0],"names":[""]}`),
		"bias count":     encode(`{"v":1,"k":1,"stride":1,"weights":[[1]],"bias":[0,1],"names":[""]}`),
		"too long":       strings.Repeat("A", maxEncoded+1),
		"empty":          "",
		"padding beyond": encode(`{"v":1,"k":1,"stride":1,"padding":6,"weights":[[1]],"bias":[0],"names":[""]}`),
	} {
		if _, err := DecodeMapsSettings(link); err == nil {
			t.Errorf("%s: decoded", name)
		}
	}
	// Well-formed settings that do not fit the lesson's data.
	m := newTestMaps()
	before, _ := json.Marshal(m.State())
	for name, change := range map[string]func(s *MapsSettings){
		"no such picture":    func(s *MapsSettings) { s.Input = "picture:9" },
		"grey filters":       func(s *MapsSettings) { s.Input = "digit:0" },
		"drawing size":       func(s *MapsSettings) { s.Input, s.Drawing = PadColour, make([]byte, 5) },
		"ink count":          func(s *MapsSettings) { s.Input, s.Ink = PadColour, []float32{1} },
		"ink beyond":         func(s *MapsSettings) { s.Input, s.Ink = PadColour, []float32{1, 2, 0} },
		"brush":              func(s *MapsSettings) { s.Input, s.Brush = PadColour, 20 },
		"no colour patterns": func(s *MapsSettings) { s.Input = "colour:0" },
	} {
		s := good
		s.Weights = append([][]float32(nil), good.Weights...)
		change(&s)
		if err := m.Restore(s); err == nil {
			t.Errorf("%s: restored", name)
		}
		m.message = ""
		if after, _ := json.Marshal(m.State()); !bytes.Equal(before, after) {
			t.Fatalf("%s: a refused restore changed the lesson", name)
		}
	}
}

// deflateLink wraps JSON as Encode does, for tests that write the JSON.
func deflateLink(js []byte) string {
	var buf bytes.Buffer
	zw, _ := flate.NewWriter(&buf, flate.BestCompression)
	zw.Write(js)
	zw.Close()
	return base64.RawURLEncoding.EncodeToString(buf.Bytes())
}

// FuzzMapsSettingsJSON fuzzes the JSON inside a link, where the checks of
// DecodeMapsSettings and Restore do their work.
func FuzzMapsSettingsJSON(f *testing.F) {
	m := newTestMaps()
	add := func() {
		js, _ := json.Marshal(m.Settings())
		f.Add(js)
	}
	add()
	m.SetInput(PadColour)
	m.PadDown(5, 5)
	m.PadMove(20, 20)
	add()
	m.SetInput("digit:0")
	m.SetKernelSize(3)
	add()
	m.SetPicture(quadrantsPicture("mine.png"))
	add()
	f.Add([]byte(`{"v":1,"k":1,"stride":1,"weights":[[1]],"bias":[0],"names":[""],"input":"pad:grey","drawing":"AAAA"}`))
	f.Fuzz(func(t *testing.T, js []byte) {
		checkLink(t, deflateLink(js))
	})
}

// checkLink decodes and restores a link: it may be refused, never panic,
// and what is accepted encodes back to itself and gives a state that
// marshals.
func checkLink(t *testing.T, link string) {
	s, err := DecodeMapsSettings(link)
	if err != nil {
		return
	}
	again, err := DecodeMapsSettings(s.Encode())
	if err != nil {
		t.Fatalf("accepted settings do not decode again: %v", err)
	}
	if again.Encode() != s.Encode() {
		t.Fatal("settings change on a round trip")
	}
	m := newTestMaps()
	if m.Restore(s) != nil {
		return
	}
	if _, err := json.Marshal(m.State()); err != nil {
		t.Fatalf("state of restored settings: %v", err)
	}
}

// FuzzMapsSettings feeds arbitrary links to DecodeMapsSettings and Restore:
// they may refuse, never panic, and what they accept encodes back to itself
// and gives a state that marshals.
func FuzzMapsSettings(f *testing.F) {
	m := newTestMaps()
	f.Add(m.Settings().Encode())
	m.SetInput(PadGrey)
	m.PadDown(5, 5)
	m.PadMove(20, 20)
	m.SetKernelSize(3)
	f.Add(m.Settings().Encode())
	f.Add("")
	f.Add("eyJ2IjoxfQ")
	f.Fuzz(checkLink)
}
