package app

import (
	"image"
	"testing"

	"convlab/engine/lesson"
	"convlab/engine/ui"
)

// stepper is a screen with n steps, for testing the deck navigation.
type stepper struct {
	Placeholder
	n, at int
}

func (s *stepper) Next(*ui.Announcer) bool {
	if s.at+1 >= s.n {
		return false
	}
	s.at++
	return true
}

func (s *stepper) Prev(*ui.Announcer) bool {
	if s.at == 0 {
		return false
	}
	s.at--
	return true
}

func placeholders() []Screen {
	var ss []Screen
	for _, in := range lesson.Catalog() {
		ss = append(ss, NewPlaceholder(in))
	}
	return ss
}

func TestBarTargets(t *testing.T) {
	a := New(placeholders())
	ws := a.Widgets()
	cat := lesson.Catalog()
	if len(ws) != len(cat) {
		t.Fatalf("%d widgets, want %d bar entries", len(ws), len(cat))
	}
	for i, in := range cat {
		if ws[i].Name != "lesson-"+in.ID {
			t.Errorf("bar entry %d is %q, want lesson-%s", i, ws[i].Name, in.ID)
		}
		if ws[i].On != (i == 0) {
			t.Errorf("bar entry %d On = %v", i, ws[i].On)
		}
	}
	if err := ui.CheckNames(ws); err != nil {
		t.Error(err)
	}
}

func TestLayoutAtProjectorAndLaptopSizes(t *testing.T) {
	for _, size := range [][2]float64{{1024, 768}, {1280, 800}, {1920, 1080}, {800, 600}} {
		a := New(placeholders())
		a.Resize(size[0], size[1])
		f := a.Frame()
		ws := a.Widgets()
		for i, w := range ws {
			x, y, wd, h := f.CSS(w.Rect)
			if x < 0 || y < 0 || x+wd > size[0]+0.5 || y+h > size[1]+0.5 {
				t.Errorf("%vx%v: %s at %v,%v %vx%v leaves the window", size[0], size[1], w.Name, x, y, wd, h)
			}
			if f.Scale >= ui.MinScale && (wd < 44 || h < 44) {
				t.Errorf("%vx%v: %s is %.1fx%.1f CSS px, want at least 44x44", size[0], size[1], w.Name, wd, h)
			}
			for _, o := range ws[i+1:] {
				if w.Rect.Overlaps(o.Rect) {
					t.Errorf("%vx%v: %s overlaps %s", size[0], size[1], w.Name, o.Name)
				}
			}
		}
		if a.Content().Min.Y < BarHeight || a.Content().Empty() {
			t.Errorf("content %v overlaps the bar or is empty", a.Content())
		}
	}
}

func TestNavigation(t *testing.T) {
	ss := placeholders()
	st := &stepper{Placeholder: *NewPlaceholder(lesson.Catalog()[1]), n: 3}
	ss[1] = st
	a := New(ss)
	key := func(k string) { a.Handle(ui.Event{Type: ui.Key, Key: k}) }
	id := func() string { return a.State().Lesson }

	a.Handle(ui.Event{Type: ui.Click, Target: "lesson-training"})
	if id() != "training" {
		t.Fatalf("after clicking lesson-training, lesson = %q", id())
	}
	key("1")
	if id() != "fc-vs-conv" {
		t.Fatalf("key 1: lesson = %q", id())
	}
	key("9") // no ninth lesson: nothing happens
	if id() != "fc-vs-conv" {
		t.Fatalf("key 9 moved to %q", id())
	}
	// A placeholder has no steps: PageDown moves on. The stepper then takes
	// two steps before the deck moves on again.
	steps := []struct {
		key    string
		lesson string
		at     int
	}{
		{"PageDown", "sliding-filter", 0},
		{"ArrowRight", "sliding-filter", 1},
		{" ", "sliding-filter", 2},
		{"PageDown", "activation-maps", 2},
		{"PageUp", "sliding-filter", 2},
		{"ArrowLeft", "sliding-filter", 1},
		{"PageUp", "sliding-filter", 0},
		{"PageUp", "fc-vs-conv", 0},
		{"PageUp", "fc-vs-conv", 0}, // before the first lesson: stays
	}
	for i, s := range steps {
		key(s.key)
		if id() != s.lesson || st.at != s.at {
			t.Fatalf("step %d (%q): lesson %q at %d, want %q at %d", i, s.key, id(), st.at, s.lesson, s.at)
		}
	}
	a.Show(len(ss) - 1)
	key("PageDown") // past the last lesson: stays
	if id() != "beyond" {
		t.Errorf("PageDown past the end moved to %q", id())
	}
	if msg := a.State().Message; msg == "" {
		t.Error("moving between lessons announced nothing")
	}
}

func TestTooltip(t *testing.T) {
	a := New(placeholders())
	a.Widgets()
	a.Handle(ui.Event{Type: ui.PointerMove, Target: "lesson-training"})
	a.Tick(1)
	w, ok := a.Tooltip()
	if !ok || w.Name != "lesson-training" || w.Tooltip == "" {
		t.Errorf("Tooltip = %+v, %v", w, ok)
	}
	_ = image.Point{}
}
