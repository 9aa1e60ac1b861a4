package lesson

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestSlidingStateJSON(t *testing.T) {
	m := NewSliding(1)
	m.SetBias(0, "1")
	m.Step()
	m.Step()
	m.Select(0, 3, 4)
	m.SetWeight(0, 0, 0, 0, "abc")
	raw, err := json.Marshal(m.State())
	if err != nil {
		t.Fatal(err)
	}
	var st map[string]any
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"lesson", "input", "size", "padding", "stride", "kernel", "weights", "bias",
		"step", "position", "window", "outputs", "outputSize", "outputError", "message", "arithmetic", "caption", "link"} {
		if _, ok := st[key]; !ok {
			t.Errorf("state has no %q", key)
		}
	}
	for key := range st {
		if key == "" || strings.ToLower(key[:1]) != key[:1] || strings.ContainsAny(key, "_- ") {
			t.Errorf("state key %q is not lowerCamelCase", key)
		}
	}
	if st["lesson"] != SlidingID || st["step"] != 1.0 || st["outputSize"] != 7.0 {
		t.Errorf("lesson %v, step %v, output size %v", st["lesson"], st["step"], st["outputSize"])
	}
	outs := st["outputs"].([]any)[0].([]any)
	row0 := outs[0].([]any)
	if row0[0] != 2.0 || row0[1] != 2.0 || row0[2] != nil || outs[6].([]any)[6] != nil {
		t.Errorf("outputs row 0 = %v: want 2, 2, then null for hidden", row0)
	}
	if got := st["window"]; !reflect.DeepEqual(got, map[string]any{"row": 0.0, "col": 1.0, "size": 3.0}) {
		t.Errorf("window %v", got)
	}
	if got := st["position"]; !reflect.DeepEqual(got, map[string]any{"filter": 0.0, "row": 0.0, "col": 1.0}) {
		t.Errorf("position %v", got)
	}
	msg := st["message"].(map[string]any)
	if msg["target"] != "weight-0-0" || msg["error"] != true || !strings.Contains(msg["text"].(string), "abc") {
		t.Errorf("message %v", msg)
	}
	if got := st["feeds"].([]any); len(got) != 9 {
		t.Errorf("input (3,4) feeds %d outputs, want 9", len(got))
	}
	if got, want := st["arithmetic"], "0·(−1) + 0·0 + 0·1 + 0·(−2) + 0·0 + 0·2 + 0·(−1) + 1·0 + 1·1 = 1, + bias 1 = 2"; got != want {
		t.Errorf("arithmetic %q, want %q", got, want)
	}
	in := st["input"].([]any)[0].([]any)
	if len(in) != 7 || in[1].([]any)[1] != 1.0 {
		t.Errorf("input rows %d, (1,1) = %v", len(in), in[1].([]any)[1])
	}
}

// sameLesson compares everything a student sees and the link.
func sameLesson(t *testing.T, what string, a, b *Sliding) {
	t.Helper()
	sa, sb := a.State(), b.State()
	sa.Message, sb.Message = Message{}, Message{}
	sa.Selected, sb.Selected, sa.Feeds, sb.Feeds = nil, nil, nil, nil
	sa.Playing, sb.Playing = false, false
	if !reflect.DeepEqual(sa, sb) {
		ja, _ := json.Marshal(sa)
		jb, _ := json.Marshal(sb)
		t.Errorf("%s:\n%s\n%s", what, ja, jb)
	}
}

func TestSlidingEncodeDecode(t *testing.T) {
	tests := []struct {
		name  string
		setup func(m *Sliding)
	}{
		{"opening", func(m *Sliding) {}},
		{"stepped and edited", func(m *Sliding) {
			m.Step()
			m.Step()
			m.JumpTo(0, 5, 5)
			m.SetWeight(0, 0, 1, 1, "0.1")
			m.SetInput(0, 2, 2, "−1e6")
			m.SetBias(0, "1/3")
			m.SetBias(0, "0.333")
			m.SetSpeed(7.5)
		}},
		{"stride 2 without padding", func(m *Sliding) {
			m.SetPadding(0)
			m.SetStride(2)
			m.SetPattern("random")
			m.Step()
		}},
		{"no output", func(m *Sliding) {
			m.SetSize(6)
			m.SetPadding(0)
			m.SetStride(2)
		}},
		{"channels, asking", func(m *Sliding) {
			m.SetChannels(true)
			m.SetKernel(5)
			m.SetPreset(1, "random")
			m.SetBias(1, "−0.25")
			m.SetPredictMode(true)
			m.Step()
			m.Step()
			m.Step()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewSliding(99)
			tt.setup(m)
			link := m.Encode()
			back, err := DecodeSliding("#" + link)
			if err != nil {
				t.Fatalf("DecodeSliding(%s): %v", link, err)
			}
			sameLesson(t, "round trip", m, back)
			if back.Encode() != link {
				t.Errorf("encode again:\n%s\n%s", back.Encode(), link)
			}
			// The seed travels too: the next random draw is the same.
			m.SetPattern("random")
			back.SetPattern("random")
			sameLesson(t, "random after the round trip", m, back)
		})
	}
}

func TestSlidingLinkIsCompact(t *testing.T) {
	m := NewSliding(1)
	if link := m.Encode(); len(link) > 150 {
		t.Errorf("opening link is %d characters: %s", len(link), link)
	}
	if want := "x=0*8,1*5,0*6,1,0*5,1,0*6,1,0*5,1,0*10&w=-1,0,1,-2,0,2,-1,0,1&b=0"; !strings.Contains(m.Encode(), want) {
		t.Errorf("link %s does not hold %s", m.Encode(), want)
	}
}

func TestDecodeSlidingPartialLink(t *testing.T) {
	m, err := DecodeSliding("v=1&n=9&p=0")
	if err != nil {
		t.Fatal(err)
	}
	if m.Size() != 9 || m.Padding() != 0 || m.Kernel() != 3 || m.Stride() != 1 {
		t.Fatalf("shape N %d P %d K %d S %d", m.Size(), m.Padding(), m.Kernel(), m.Stride())
	}
	if m.Input(0, 1, 7) != 1 { // the 7's bar reaches column N−2
		t.Errorf("a link without input did not draw the digit at 9x9")
	}
}

func TestDecodeSlidingErrors(t *testing.T) {
	good := NewSliding(1).Encode()
	tests := []struct {
		link string
		want string // part of the error
	}{
		{"", "no value"},
		{"n=7", "starts with its version"},
		{"v=2", "version"},
		{"v=1&q=3", "unknown field"},
		{"v=1&n=7&n=7", "twice"},
		{"v=1&n=seven", "not a whole number"},
		{"v=1&n=12", "input size 12"},
		{"v=1&k=4", "kernel 4"},
		{"v=1&c=2", "1 or 3"},
		{"v=1&p=9", "padding 9"},
		{"v=1&s=0", "stride 0"},
		{"v=1&x=1,2,3", "3 values, want 49"},
		{"v=1&x=0*50", "more than the 49"},
		{"v=1&x=0*0", "not a run"},
		{"v=1&x=0*99999999999999999999", "not a run"},
		{"v=1&w=NaN*9", "not a number"},
		{"v=1&b=1e999", "not a number"},
		{"v=1&b=2e6", "not a number"},
		{"v=1&b=", "not a number"},
		{"v=1&at=49", "not a cell"},
		{"v=1&at=-2", "not a cell"},
		{"v=1&seen=%%", "not a set of 49"},
		{"v=1&seen=AAAA", "not a set of 49"},
		{"v=1&n=6&p=0&s=2&at=0", "no output"},
		{"v=1&speed=fast", "not a number"},
		{"v=1&ask=yes", "want 0 or 1"},
		{"v=1&seed=1.5", "seed"},
		{good + "&" + strings.Repeat("x", maxLink), "characters long"},
	}
	for _, tt := range tests {
		m, err := DecodeSliding(tt.link)
		if err == nil || m != nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("DecodeSliding(%.60q) = %v, %v; want an error with %q", tt.link, m, err, tt.want)
		}
	}
}

func FuzzDecodeSliding(f *testing.F) {
	m := NewSliding(3)
	f.Add(m.Encode())
	m.SetChannels(true)
	m.Step()
	f.Add(m.Encode())
	for _, s := range []string{"", "v=1", "#v=1&n=5&k=5&p=0&s=3", "v=1&x=0*49&seen=_w&at=3&ask=1", "v=1&c=3&w=1*54"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, link string) {
		m, err := DecodeSliding(link)
		if err != nil {
			return
		}
		// A link that decodes is a lesson the page can show: encoding it and
		// decoding again changes nothing.
		again, err := DecodeSliding(m.Encode())
		if err != nil {
			t.Fatalf("DecodeSliding(Encode(DecodeSliding(%q))): %v", link, err)
		}
		if again.Encode() != m.Encode() {
			t.Fatalf("round trip of %q:\n%s\n%s", link, m.Encode(), again.Encode())
		}
		_ = m.State()
		m.Step()
		m.Back()
	})
}
