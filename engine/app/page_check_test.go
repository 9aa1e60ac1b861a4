package app

import (
	"image"
	"strings"
	"testing"

	"convlab/engine/ui"
)

// markInk returns the part of a text mark's rectangle its words cover, as
// estimated: from the left, the centre or the right by alignment, and one
// text size tall about the middle.
func markInk(mk Mark) image.Rectangle {
	r := mk.Rect
	w := min(r.Dx(), textW(mk.Text, mk.Size, mk.Font))
	switch mk.Align {
	case AlignCenter:
		r.Min.X = (r.Min.X + r.Max.X - w) / 2
	case AlignRight:
		r.Min.X = r.Max.X - w
	}
	r.Max.X = r.Min.X + w
	mid := (r.Min.Y + r.Max.Y) / 2
	r.Min.Y, r.Max.Y = mid-int(mk.Size/2), mid+int(mk.Size/2)
	return r
}

// checkPage checks a lesson that paints marks as it is now. Widgets: names
// unique, inside the window and (but for the lesson bar) the content, none
// over another, and (when touch) at least 44 CSS px. Marks: inside the
// content; every picture tight; every line of text with room (dropped
// counts those that had none), none cut away or cut short, none running
// into other words or lying under a page control (the page's controls are
// opaque).
func checkPage(t *testing.T, a *App, marks []Mark, dropped int, touch bool, what string) {
	t.Helper()
	if dropped > 0 {
		t.Errorf("%s: %d lines of text had no room", what, dropped)
	}
	f := a.Frame()
	ws := a.Widgets()
	if err := ui.CheckNames(ws); err != nil {
		t.Errorf("%s: %v", what, err)
	}
	content := a.Content()
	for i, w := range ws {
		x, y, wd, h := f.CSS(w.Rect)
		if touch && (wd < 44 || h < 44) {
			t.Errorf("%s: %s is %.1fx%.1f CSS px, want at least 44x44", what, w.Name, wd, h)
		}
		if !strings.HasPrefix(w.Name, "lesson-") && !w.Rect.In(content) {
			t.Errorf("%s: %s at %v leaves the content %v", what, w.Name, w.Rect, content)
		}
		if x < -0.01 || y < -0.01 || x+wd > float64(f.W)*f.Scale+2*f.OffX+0.5 || y+h > float64(f.H)*f.Scale+0.5 {
			t.Errorf("%s: %s leaves the window", what, w.Name)
		}
		for _, o := range ws[i+1:] {
			if w.Rect.Overlaps(o.Rect) {
				t.Errorf("%s: %s %v overlaps %s %v", what, w.Name, w.Rect, o.Name, o.Rect)
			}
		}
	}
	var words []image.Rectangle // the ink of every text mark so far
	for _, mk := range marks {
		if mk.Kind == LineMark {
			// A line's rectangle runs from one end to the other.
			if !image.Pt(mk.Rect.Min.X, mk.Rect.Min.Y).In(content) || !image.Pt(mk.Rect.Max.X-1, mk.Rect.Max.Y-1).In(content) {
				t.Errorf("%s: a line %v leaves the content", what, mk.Rect)
			}
			continue
		}
		if !mk.Rect.In(content) {
			t.Errorf("%s: a mark (%d %q) at %v leaves the content %v", what, mk.Kind, mk.Text, mk.Rect, content)
		}
		if mk.Kind == PictureMark && (mk.Pic == nil || mk.Pic.Img == nil || mk.Pic.Img.Stride != 4*mk.Pic.Img.Rect.Dx() || mk.Pic.Img.Rect.Min != (image.Point{})) {
			t.Errorf("%s: a picture mark without a tight image", what)
		}
		if mk.Kind != TextMark {
			continue
		}
		switch {
		case mk.Text == "":
			t.Errorf("%s: words at %v were cut away entirely: the rectangle is too narrow", what, mk.Rect)
		case strings.HasSuffix(mk.Text, "…"):
			t.Errorf("%s: %q is cut short: its box %v is too narrow", what, mk.Text, mk.Rect)
		}
		if want := textW(mk.Text, mk.Size, mk.Font); want > mk.Rect.Dx()+2 {
			t.Errorf("%s: the words %q need %d units, their place %v has %d", what, mk.Text, want, mk.Rect, mk.Rect.Dx())
		}
		ink := markInk(mk)
		for _, o := range words {
			if ink.Overlaps(o) {
				t.Errorf("%s: the words %q at %v run into other words at %v", what, mk.Text, ink, o)
			}
		}
		words = append(words, ink)
		for _, w := range ws {
			if w.Kind != ui.Cell && w.Kind != ui.Area && ink.Overlaps(w.Rect) {
				t.Errorf("%s: the words %q at %v lie under %s %v", what, mk.Text, ink, w.Name, w.Rect)
			}
		}
	}
}
