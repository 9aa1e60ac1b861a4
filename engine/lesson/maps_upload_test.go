package lesson

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/rand"
	"strings"
	"testing"

	"convlab/engine/nn"
)

// quadrantsPicture is a student's picture of four solid quadrants, as
// engine/lesson/picture makes it of a 64 x 64 file: red (220, 30, 40),
// green (20, 160, 60) above blue (30, 60, 210), yellow (240, 200, 20).
func quadrantsPicture(name string) UserPicture {
	inks := [2][2][3]uint8{{{220, 30, 40}, {20, 160, 60}}, {{30, 60, 210}, {240, 200, 20}}}
	p := UserPicture{Name: name, Format: "PNG", W: 64, H: 64, Pixels: make([]uint8, 3*PictureSide*PictureSide)}
	for c := range 3 {
		for y := range PictureSide {
			for x := range PictureSide {
				p.Pixels[(c*PictureSide+y)*PictureSide+x] = inks[y/16][x/16][c]
			}
		}
	}
	return p
}

// A student's picture of four quadrants becomes the input, a 3 x 32 x 32
// picture whose top-left pixel is the red quadrant's (220, 30, 40)/255,
// and the bank's maps follow it.
func TestMapsSetPicture(t *testing.T) {
	m := newTestMaps()
	if err := m.SetInput(Upload); err == nil || !strings.Contains(err.Error(), "no picture of your own yet") {
		t.Errorf("choosing a picture of one's own before there is one: %v", err)
	}
	if err := m.SetPicture(quadrantsPicture("quadrants.png")); err != nil {
		t.Fatal(err)
	}
	if m.InputID() != Upload || m.InputShape() != "3 x 32 x 32" || m.OutputShape() != "6 x 28 x 28" || m.Message() != "" {
		t.Fatalf("input %q %s -> %s, message %q", m.InputID(), m.InputShape(), m.OutputShape(), m.Message())
	}
	x := m.Input()
	for _, c := range []struct {
		ch, y, x int
		want     uint8
	}{{0, 0, 0, 220}, {1, 0, 0, 30}, {2, 0, 0, 40}, {0, 31, 31, 240}, {1, 31, 31, 200}, {2, 0, 31, 60}, {1, 31, 0, 60}} {
		if got := x.At(c.ch, c.y, c.x); got != byteValue(c.want) {
			t.Errorf("input (%d, %d, %d) = %v, want %d/255", c.ch, c.y, c.x, got, c.want)
		}
	}
	// Map 0 is the vertical edge filter on the picture: it answers at the
	// red | green border (column 16) and not inside a quadrant.
	want, err := nn.Conv2DNaive(x, m.Bank().W, m.Bank().B, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	out := m.Output()
	for k := range want.Data {
		if out.Data[k] != want.Data[k] {
			t.Fatalf("map value %d is %v, the convolution gives %v", k, out.Data[k], want.Data[k])
		}
	}
	if v := out.At(0, 5, 3); math.Abs(float64(v)) > 1e-5 {
		t.Errorf("inside the red quadrant the vertical edge map is %v", v)
	}
	if v := out.At(0, 5, 13); math.Abs(float64(v)) < 0.1 {
		t.Errorf("across the red | green border the vertical edge map is 0")
	}
	p, ok := m.Picture()
	if !ok || p.Name != "quadrants.png" || p.Format != "PNG" || p.W != 64 || p.H != 64 {
		t.Errorf("Picture() = %v, %v", p.Name, ok)
	}
	st := m.State()
	if st.Input != "upload" || st.Upload == nil || *st.Upload != (UploadState{"quadrants.png", "PNG", 64, 64}) {
		t.Errorf("state says input %q, upload %+v", st.Input, st.Upload)
	}
}

// A file that cannot be used is refused with its reason, and nothing the
// student had is lost: not the input, not their earlier picture.
func TestMapsPictureRefused(t *testing.T) {
	m := newTestMaps()
	if err := m.SetPicture(quadrantsPicture("first.png")); err != nil {
		t.Fatal(err)
	}
	m.SetInput("picture:2")
	before, _ := json.Marshal(m.State())
	why := errors.New("notes.txt is not a picture ConvLab can read")
	if err := m.Refuse(why); err != why || m.Message() != why.Error() {
		t.Errorf("Refuse gives %v, message %q", err, m.Message())
	}
	m.message = ""
	if after, _ := json.Marshal(m.State()); !bytes.Equal(before, after) {
		t.Errorf("the refusal changed the lesson:\n%s\n%s", before, after)
	}
	if err := m.SetPicture(UserPicture{Name: "small", Pixels: make([]uint8, 10)}); err == nil || m.InputID() != "picture:2" {
		t.Errorf("a picture of 10 values: %v, input %q", err, m.InputID())
	}
	if p, _ := m.Picture(); p.Name != "first.png" {
		t.Errorf("the earlier picture is now %q", p.Name)
	}
}

// The student's picture goes into the link and comes back in a fresh
// lesson, as the input or, after choosing another, kept beside it.
func TestMapsPictureSettings(t *testing.T) {
	m := newTestMaps()
	if err := m.SetPicture(quadrantsPicture("mine.png")); err != nil {
		t.Fatal(err)
	}
	m.SetWeight(0, 1, 2, 2, "0.5")
	for _, input := range []string{Upload, "picture:1"} {
		if err := m.SetInput(input); err != nil {
			t.Fatal(err)
		}
		link := m.Settings().Encode()
		if len(link) > 8000 {
			t.Errorf("a link with a picture is %d characters", len(link))
		}
		s, err := DecodeMapsSettings(link)
		if err != nil {
			t.Fatal(err)
		}
		fresh := NewMaps(testSources(), rand.New(rand.NewSource(5)))
		if err := fresh.Restore(s); err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal(m.State())
		b, _ := json.Marshal(fresh.State())
		if !bytes.Equal(a, b) {
			t.Errorf("input %s: restored state differs:\n%s\n%s", input, a, b)
		}
		if p, _ := fresh.Picture(); !bytes.Equal(p.Pixels, m.upload.Pixels) {
			t.Errorf("input %s: the picture's pixels differ after the link", input)
		}
	}
	// A link without a picture of one's own keeps the one the lesson has;
	// one that names it as the input but carries none is refused.
	plain := newTestMaps()
	if err := m.Restore(plain.Settings()); err != nil {
		t.Fatal(err)
	}
	if _, ok := m.Picture(); !ok {
		t.Error("a link without a picture threw away the student's")
	}
	s := plain.Settings()
	s.Input = Upload
	if err := plain.Restore(s); err == nil || plain.InputID() != "picture:0" {
		t.Errorf("restoring input upload without a picture: %v, input %q", err, plain.InputID())
	}
	s.Upload = &UploadSettings{Name: "x", Pixels: make([]byte, 7)}
	if _, err := DecodeMapsSettings(s.Encode()); err == nil || !strings.Contains(err.Error(), "picture of your own") {
		t.Errorf("a picture of 7 values in a link: %v", err)
	}
}
