package app

import (
	"fmt"
	"strings"
	"testing"

	"convlab/engine/lesson"
)

// counter is a persistent screen holding one number.
type counter struct {
	Placeholder
	n int
}

func (c *counter) Encode() string { return fmt.Sprint(c.n) }

func (c *counter) Decode(s string) error {
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		return fmt.Errorf("%q is not a count", s)
	}
	c.n = n
	return nil
}

func TestEncodeDecode(t *testing.T) {
	cat := lesson.Catalog()
	mk := func() (*App, *counter, *counter) {
		ss := placeholders()
		a := &counter{Placeholder: *NewPlaceholder(cat[1])}
		b := &counter{Placeholder: *NewPlaceholder(cat[2])}
		ss[1], ss[2] = a, b
		return New(ss), a, b
	}
	src, a, b := mk()
	a.n, b.n = 7, 42
	src.Show(2)
	link := src.Encode()

	dst, a2, b2 := mk()
	if err := dst.Decode("#" + link); err != nil {
		t.Fatalf("Decode(%q): %v", link, err)
	}
	if a2.n != 7 || b2.n != 42 || dst.Index() != 2 {
		t.Errorf("round trip of %q: %d, %d, lesson %d", link, a2.n, b2.n, dst.Index())
	}

	// One bad part loses nothing else and says which part it was.
	dst, a2, b2 = mk()
	b2.n = 5
	err := dst.Decode("lesson=training&sliding-filter=3&activation-maps=zzz")
	if err == nil || !strings.Contains(err.Error(), "Activation maps") {
		t.Errorf("bad part: error %v", err)
	}
	if a2.n != 3 || b2.n != 5 || dst.State().Lesson != "training" {
		t.Errorf("bad part: %d, %d, %s", a2.n, b2.n, dst.State().Lesson)
	}
	if err := dst.Decode("lesson=nope"); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("unknown lesson: %v", err)
	}
	if err := dst.Decode("%zz"); err == nil {
		t.Error("a damaged link was accepted")
	}
	if err := dst.Decode(""); err != nil {
		t.Errorf("empty link: %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add("lesson=training&sliding-filter=3")
	f.Add("%zz")
	f.Fuzz(func(t *testing.T, s string) {
		a := New(placeholders())
		_ = a.Decode(s)
		_ = a.Encode()
	})
}
