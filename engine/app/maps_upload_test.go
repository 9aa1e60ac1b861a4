package app

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"convlab/engine/lesson"
	picfile "convlab/engine/lesson/picture"
	"convlab/engine/ui"
)

// mapsPNG returns a 64 x 64 PNG of four solid quadrants: red, green above
// blue, yellow.
func mapsPNG(t *testing.T) []byte {
	t.Helper()
	inks := [2][2]color.NRGBA{{{220, 30, 40, 255}, {20, 160, 60, 255}}, {{30, 60, 210, 255}, {240, 200, 20, 255}}}
	img := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	for y := range 64 {
		for x := range 64 {
			img.SetNRGBA(x, y, inks[y/32][x/32])
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// mapsFile sends a file as the page does when the student chooses one (or
// drops one: target ""), then lets two frames pass: the first shows that
// the file is being read, the second decodes it.
func mapsFile(t *testing.T, a *App, target, name string, size int, data []byte) (reading string) {
	t.Helper()
	a.Handle(ui.Event{Type: ui.FileChosen, Target: target, Text: name, Value: float64(size), Data: data})
	a.Tick(1.0 / 60)
	reading = a.State().Message
	a.Tick(1.0 / 60)
	return reading
}

// A chosen PNG becomes the input: the page says it is reading it, then
// what it made of it; the maps follow; the picture is the first thumbnail
// of the pictures and can be chosen again after another input.
func TestMapsUpload(t *testing.T) {
	for _, size := range mapsSizes {
		at := fmt.Sprintf("%vx%v", size[0], size[1])
		a, s := mapsApp(t, size[0], size[1])
		m := s.Model()
		w, ok := ui.Find(a.Widgets(), "upload")
		if !ok || w.Kind != ui.File || w.Max != picfile.MaxBytes || w.Label != "Your picture…" {
			t.Fatalf("%s: the upload widget is %+v", at, w)
		}
		mapsClick(t, a, "source-digit") // the button is there whichever input is shown
		before := m.State().Maps
		data := mapsPNG(t)
		a.Handle(ui.Event{Type: ui.FileChosen, Target: "upload", Text: "quadrants.png", Value: float64(len(data)), Data: data})
		a.Tick(1.0 / 60)
		if msg := a.State().Message; msg != "Reading quadrants.png…" || s.State().(MapsScreenState).Reading != "quadrants.png" || m.InputID() != "digit:0" {
			t.Errorf("%s: the frame after choosing says %q with input %q", at, msg, m.InputID())
		}
		checkMapsLayout(t, a, s, at+" reading a picture")
		a.Tick(1.0 / 60)
		st := s.State().(MapsScreenState)
		if st.Input != "upload" || st.InputShape != "3 x 32 x 32" || st.OutputShape != "6 x 28 x 28" || len(st.Maps) != 6 ||
			st.Source != "picture" || st.Reading != "" || st.Upload == nil || st.Upload.Name != "quadrants.png" {
			t.Fatalf("%s: after the picture: input %q %s -> %s, %d maps, source %q, reading %q, upload %+v", at,
				st.Input, st.InputShape, st.OutputShape, len(st.Maps), st.Source, st.Reading, st.Upload)
		}
		if got, want := m.Input().At(0, 0, 0), float32(220)*(1.0/255); got != want {
			t.Errorf("%s: the input's top-left red is %v, want %v", at, got, want)
		}
		if fmt.Sprint(st.Maps) == fmt.Sprint(before) {
			t.Errorf("%s: the maps did not change with the input", at)
		}
		msg := a.State().Message
		if !strings.Contains(msg, "your picture quadrants.png (PNG, 64 x 64)") || !strings.Contains(msg, "6 x 28 x 28") {
			t.Errorf("%s: the picture said %q", at, msg)
		}
		thumb, ok := ui.Find(a.Widgets(), "input-upload")
		first := s.lay.thumbs[0]
		if !ok || !thumb.On || first.id != lesson.Upload || !strings.Contains(thumb.Label, "quadrants.png") || !strings.Contains(thumb.Tooltip, "64 x 64") {
			t.Errorf("%s: the picture's thumbnail is %+v, the first thumbnail %q", at, thumb, first.id)
		}
		if pic := s.pics["thumb-upload"]; pic == nil || pic.Img.RGBAAt(0, 0) != (color.RGBA{220, 30, 40, 255}) || pic.Img.RGBAAt(31, 31) != (color.RGBA{240, 200, 20, 255}) {
			t.Errorf("%s: the thumbnail's picture is wrong", at)
		}
		if !mapsHasText(s, "quadrants.png") {
			t.Errorf("%s: the file's name is not written beside the input's shape", at)
		}
		checkMapsLayout(t, a, s, at+" your picture")
		mapsClick(t, a, "input-picture-1")
		mapsClick(t, a, "input-upload")
		if m.InputID() != lesson.Upload {
			t.Errorf("%s: choosing the thumbnail again gives %q", at, m.InputID())
		}
		mapsClick(t, a, "tab-stack")
		checkMapsLayout(t, a, s, at+" your picture, stack")
	}
}

// Files that cannot be used are refused with their reason, shown on the
// input and said; the input and the student's earlier picture stay.
func TestMapsUploadRefused(t *testing.T) {
	a, s := mapsApp(t, 1024, 768)
	m := s.Model()
	mapsFile(t, a, "upload", "mine.png", 0, mapsPNG(t))
	mapsClick(t, a, "input-picture-2")
	before := m.State()
	for _, c := range []struct {
		name    string
		size    int
		data    []byte
		reading string // what the first frame says
		want    string
	}{
		{"notes.txt", 5, []byte("hello"), "Reading notes.txt…",
			"notes.txt is not a picture ConvLab can read: use a PNG, JPEG, GIF, WebP, BMP or TIFF file. The input stays the picture c."},
		{"holiday.jpg", 48 << 20, nil, "", "holiday.jpg is 48 MB; pictures up to 20 MB can be used. The input stays the picture c."},
		{"cut.png", 60, mapsPNG(t)[:60], "Reading cut.png…", "cut.png looks like a PNG file but is damaged"},
	} {
		reading := mapsFile(t, a, "upload", c.name, c.size, c.data)
		if c.reading != "" && reading != c.reading {
			t.Errorf("%s: the first frame says %q", c.name, reading)
		}
		if msg := a.State().Message; !strings.HasPrefix(msg, c.want) {
			t.Errorf("%s: said %q, want %q", c.name, msg, c.want)
		}
		if m.InputID() != "picture:2" || fmt.Sprint(m.State().Maps) != fmt.Sprint(before.Maps) {
			t.Errorf("%s: the input became %q", c.name, m.InputID())
		}
		if p, _ := m.Picture(); p.Name != "mine.png" {
			t.Errorf("%s: the student's picture is now %q", c.name, p.Name)
		}
		w, _ := ui.Find(a.Widgets(), "upload")
		if !w.Error || !mapsHasText(s, strings.Fields(m.Message())[0]) {
			t.Errorf("%s: the refusal is not shown (button error %v)", c.name, w.Error)
		}
		checkMapsLayout(t, a, s, c.name+" refused")
	}
	// The next accepted change clears the refusal.
	mapsClick(t, a, "input-picture-1")
	if w, _ := ui.Find(a.Widgets(), "upload"); w.Error || mapsHasText(s, "cut.png") {
		t.Error("the refusal stays after another input is chosen")
	}
	// A picture dropped on the page arrives without a target and is used
	// all the same.
	mapsFile(t, a, "", "dropped.png", 0, mapsPNG(t))
	if p, _ := m.Picture(); m.InputID() != lesson.Upload || p.Name != "dropped.png" {
		t.Errorf("a dropped picture gives input %q named %q", m.InputID(), p.Name)
	}
}

// The student's picture is kept in the link and the browser's storage: a
// reload (a fresh screen decoding what the old one encoded) shows it, as
// the input and, after another input is chosen, as the first thumbnail.
func TestMapsUploadKept(t *testing.T) {
	a, s := mapsApp(t, 1280, 800)
	mapsFile(t, a, "upload", "kept.png", 0, mapsPNG(t))
	for _, input := range []string{"input-upload", "input-picture-1"} {
		mapsClick(t, a, input)
		_, fresh := mapsApp(t, 1280, 800)
		if err := fresh.Decode(s.Encode()); err != nil {
			t.Fatal(err)
		}
		p, ok := fresh.Model().Picture()
		old, _ := s.Model().Picture()
		if !ok || p.Name != "kept.png" || !bytes.Equal(p.Pixels, old.Pixels) || fresh.Model().InputID() != s.Model().InputID() {
			t.Errorf("%s: after a reload the picture is %q (%v), the input %q", input, p.Name, ok, fresh.Model().InputID())
		}
		if len(fresh.lay.thumbs) == 0 || fresh.lay.thumbs[0].id != lesson.Upload {
			t.Errorf("%s: after a reload the first thumbnail is not the student's picture", input)
		}
	}
}

// A picture dropped on another lesson is not used, and the page says
// where pictures go.
func TestMapsFileElsewhere(t *testing.T) {
	a, s := mapsApp(t, 1280, 800)
	a.Show(0)
	a.Handle(ui.Event{Type: ui.FileChosen, Text: "cat.png", Value: 1000})
	want := "cat.png was not used: pictures of your own go into lesson 3, Activation maps."
	if msg := a.State().Message; !strings.HasPrefix(msg, want) {
		t.Errorf("dropping on lesson 1 says %q, want %q", msg, want)
	}
	if _, ok := s.Model().Picture(); ok || s.Model().InputID() != "picture:0" {
		t.Error("a picture dropped on lesson 1 reached the activation maps")
	}
}

// The page redraws between events only while a screen animates: the
// screen says so while a picture waits to be decoded and in the frame that
// decoded it, so "Reading…" and then the picture show at once.
func TestMapsUploadRedraws(t *testing.T) {
	a, _ := mapsApp(t, 1280, 800)
	if a.Animating() {
		t.Fatal("the lesson animates before anything happens")
	}
	data := mapsPNG(t)
	a.Handle(ui.Event{Type: ui.FileChosen, Target: "upload", Text: "a.png", Value: float64(len(data)), Data: data})
	for frame, want := range []bool{true, true, false} {
		a.Tick(1.0 / 60)
		if got := a.Animating(); got != want {
			t.Errorf("frame %d after the file: animating %v, want %v", frame+1, got, want)
		}
	}
}
