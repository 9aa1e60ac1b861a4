package app

import (
	"fmt"
	"image"
	"math"
	"strconv"
	"strings"

	"convlab/engine/lesson"
	"convlab/engine/ui"
)

// Handle acts on one event aimed at the screen's widgets, or a key.
func (s *FCScreen) Handle(ev ui.Event, say *ui.Announcer) bool {
	if s.m == nil {
		return false
	}
	used, rebuild := s.handle(ev, say)
	switch {
	case rebuild:
		s.refresh()
	case used:
		s.paint()
	}
	return used
}

// handle reports whether it used the event and whether the pictures and
// widgets must be rebuilt (else only the marks are).
func (s *FCScreen) handle(ev ui.Event, say *ui.Announcer) (used, rebuild bool) {
	switch ev.Type {
	case ui.Key:
		return s.key(ev, say)
	case ui.Focus:
		s.focus = ev.Target
		return false, false
	case ui.Blur:
		if s.focus == ev.Target {
			s.focus = ""
		}
		return false, false
	}
	switch t := ev.Target; {
	case t == "picture":
		return s.pictureEvent(ev, say)
	case strings.HasPrefix(t, "plane-"):
		c, err := strconv.Atoi(strings.TrimPrefix(t, "plane-"))
		if err != nil || c < 0 || c > 2 {
			return false, false
		}
		return s.planeEvent(ev, c, say)
	case t == "strip":
		return s.stripEvent(ev, say)
	case t == "wx":
		return s.wxEvent(ev, say)
	case t == "conv-map":
		return s.mapEvent(ev, say)
	}
	if ev.Type != ui.Click {
		return false, false
	}
	return s.click(ev.Target, say)
}

// click acts on a button, a choice or a cell.
func (s *FCScreen) click(name string, say *ui.Announcer) (used, rebuild bool) {
	m := s.m
	switch name {
	case "source-digits", "source-pictures":
		s.source = strings.TrimPrefix(name, "source-")
		say.Say(capitalize(s.source) + ": click one to use it.")
		return true, true
	case "stretch-play":
		m.PlayStretch()
		if m.StretchPlaying() {
			say.Say("Stretching: the picture goes into the column one row of 32 pixels at a time, red's rows first.")
		} else {
			say.Say("Stopped: the whole column is shown.")
		}
		return true, true
	case "slide-play":
		m.PlaySlide()
		if m.SlidePlaying() {
			say.Say("Sliding the filter over all 28 x 28 positions, one dot product each.")
		} else {
			i, j := m.Position()
			say.Say(fmt.Sprintf("Stopped at row %d, column %d.", i, j))
		}
		return true, true
	}
	switch {
	case strings.HasPrefix(name, "tab-"):
		t := strings.TrimPrefix(name, "tab-")
		if fcTabIndex(t) < 0 {
			return false, false
		}
		s.showTab(t, say)
		return true, false // showTab rebuilt everything
	case strings.HasPrefix(name, "input-"):
		id := strings.TrimPrefix(name, "input-")
		if err := m.SetInput(id); err != nil {
			say.Say(err.Error())
			return true, false
		}
		s.index = s.defaultIndex()
		say.Say(s.inputWords())
		return true, true
	case strings.HasPrefix(name, "shift-"):
		return s.shift(strings.TrimPrefix(name, "shift-"), say)
	case strings.HasPrefix(name, "row-"), strings.HasPrefix(name, "score-"):
		_, v, _ := strings.Cut(name, "-")
		k, err := strconv.Atoi(v)
		if err != nil || m.SetRow(k) != nil {
			return false, false
		}
		say.Say(s.rowWords())
		return true, true
	case strings.HasPrefix(name, "filter-"):
		f, err := strconv.Atoi(strings.TrimPrefix(name, "filter-"))
		if err != nil || m.SetFilter(f) != nil {
			return false, false
		}
		say.Say(fmt.Sprintf("Filter %d, %s. %s", f, m.Bank().Names[f], s.convWords()))
		return true, true
	}
	return false, false
}

// shift moves the picture one pixel, or back to the centre, and says what
// that did to the scores and the maps.
func (s *FCScreen) shift(dir string, say *ui.Announcer) (used, rebuild bool) {
	m := s.m
	dx, dy := m.Shift()
	found := false
	for _, sh := range fcShifts {
		if sh.name == dir {
			found = true
			dx, dy = dx+sh.dx, dy+sh.dy
			if dir == "centre" {
				dx, dy = 0, 0
			}
		}
	}
	if !found {
		return false, false
	}
	if err := m.SetShift(dx, dy); err != nil {
		say.Say(capitalize(err.Error()) + ".")
		return true, false
	}
	say.Say(s.shiftWords())
	return true, true
}

// inputWords says which picture is shown and what the classifier makes of it.
func (s *FCScreen) inputWords() string {
	m := s.m
	in := m.Inputs()[m.Input()]
	k := m.Predicted()
	return fmt.Sprintf("%s: the highest of the 10 scores is %d (%s).", capitalize(in.Name), k, lesson.FormatNumber(m.Scores()[k]))
}

// shiftWords says where the picture is and what moved with it.
func (s *FCScreen) shiftWords() string {
	m := s.m
	dx, dy := m.Shift()
	if dx == 0 && dy == 0 {
		return "Centred again. " + s.inputWords()
	}
	ck := m.ShiftCheck()
	return fmt.Sprintf("Picture %s. Highest score: %d (was %d); the scores changed by up to %s. "+
		"The maps moved with it: %s of %s values the same.", fcShiftWords(dx, dy), ck.Predicted, ck.CentredPredicted,
		lesson.FormatNumber(ck.MaxScoreChange), fcCount(ck.Same), fcCount(ck.Compared))
}

// rowWords writes out the chosen row's score.
func (s *FCScreen) rowWords() string {
	m := s.m
	d := m.RowDot(m.Row())
	return fmt.Sprintf("Score %d = row %d of W · x + b[%d]: %s products sum to %s, plus bias %s is %s.",
		d.K, d.K, d.K, fcCount(d.Terms), lesson.FormatNumber(d.Sum), lesson.FormatNumber(d.Bias), lesson.FormatNumber(d.Score))
}

// convWords says the shown map's value at the filter's position.
func (s *FCScreen) convWords() string {
	m := s.m
	i, j := m.Position()
	d := m.ConvDot()
	return fmt.Sprintf("Map %d at row %d, column %d = %s: %s.", m.Filter(), i, j, d.ValueText, d.Reason())
}

// indexWords says where place i of the column comes from.
func (s *FCScreen) indexWords(i int) string {
	c, y, x := lesson.FCPixel(i)
	return fmt.Sprintf("Pixel (c %d, y %d, x %d) is x[%d]: (%d·32 + %d)·32 + %d = %d. Its value is %s.",
		c, y, x, i, c, y, x, i, lesson.FormatNumber(s.m.Picture().Data[i]))
}

// at turns a pointer position (CSS px inside the widget r) into units
// inside r, and reports whether it is inside.
func (s *FCScreen) at(ev ui.Event, r image.Rectangle) (x, y float64, inside bool) {
	sc := s.frame.Scale
	x, y = ev.X/sc, ev.Y/sc
	inside = x >= 0 && y >= 0 && x < float64(r.Dx()) && y < float64(r.Dy()) && !math.IsNaN(x+y)
	return x, y, inside
}

// pointIndex moves the shown place of the column to i: on a hover quietly,
// on a click saying so.
func (s *FCScreen) pointIndex(ev ui.Event, i int, say *ui.Announcer) (used, rebuild bool) {
	if i == s.index && ev.Type != ui.Click {
		return true, false
	}
	s.index = i
	if ev.Type == ui.Click {
		say.Say(s.indexWords(i))
	}
	return true, false
}

// pictureEvent: on the stretch and scores tabs the pointer picks a pixel
// (of the channel shown); on the conv tab it moves the filter's window.
func (s *FCScreen) pictureEvent(ev ui.Event, say *ui.Announcer) (used, rebuild bool) {
	if ev.Type != ui.PointerMove && ev.Type != ui.PointerDown && ev.Type != ui.Click {
		return ev.Type == ui.PointerLeave, false
	}
	x, y, inside := s.at(ev, s.lay.pic)
	if !inside {
		return true, false
	}
	px := float64(s.lay.px)
	py, pxx := int(y/px), int(x/px)
	if s.tab == "conv" {
		k := lesson.FCKernel
		return s.moveFilter(ev, min(max(py-k/2, 0), lesson.FCMapSide-1), min(max(pxx-k/2, 0), lesson.FCMapSide-1), say)
	}
	if s.tab != "stretch" && s.tab != "scores" {
		return true, false
	}
	c, _, _ := lesson.FCPixel(s.index)
	return s.pointIndex(ev, lesson.FCIndex(c, py, pxx), say)
}

// planeEvent: the pointer picks a pixel of channel c.
func (s *FCScreen) planeEvent(ev ui.Event, c int, say *ui.Announcer) (used, rebuild bool) {
	if ev.Type != ui.PointerMove && ev.Type != ui.PointerDown && ev.Type != ui.Click {
		return ev.Type == ui.PointerLeave, false
	}
	r := s.lay.planes[c]
	x, y, inside := s.at(ev, r)
	if !inside {
		return true, false
	}
	px := float64(r.Dx()) / lesson.FCSide
	return s.pointIndex(ev, lesson.FCIndex(c, int(y/px), int(x/px)), say)
}

// stripEvent: the pointer picks a place of the column.
func (s *FCScreen) stripEvent(ev ui.Event, say *ui.Announcer) (used, rebuild bool) {
	if ev.Type != ui.PointerMove && ev.Type != ui.PointerDown && ev.Type != ui.Click {
		return ev.Type == ui.PointerLeave, false
	}
	r := s.lay.strip
	x, _, inside := s.at(ev, r)
	if !inside {
		return true, false
	}
	return s.pointIndex(ev, min(int(x/float64(r.Dx())*lesson.FCLen), lesson.FCLen-1), say)
}

// wxEvent: the pointer picks a column (a place of x) and a row of W; a
// click writes that row's score out.
func (s *FCScreen) wxEvent(ev ui.Event, say *ui.Announcer) (used, rebuild bool) {
	l := &s.lay
	switch ev.Type {
	case ui.PointerLeave:
		s.hoverRow = -1
		return true, false
	case ui.PointerMove, ui.PointerDown, ui.Click:
	default:
		return false, false
	}
	x, y, inside := s.at(ev, l.wxArea)
	if !inside {
		return true, false
	}
	i := min(int(x/float64(l.wxArea.Dx())*lesson.FCLen), lesson.FCLen-1)
	uy := l.wxArea.Min.Y + int(y)
	row := -1
	for k, r := range l.rows {
		if uy >= r.strip.Min.Y && uy < r.strip.Max.Y+ui.Gap/2 {
			row = k
		}
	}
	s.hoverRow, s.index = row, i
	if ev.Type != ui.Click || row < 0 {
		return true, false
	}
	if err := s.m.SetRow(row); err != nil {
		return true, false
	}
	w := s.m.Weights().Data[row*lesson.FCLen+i]
	xv := s.m.Picture().Data[i]
	say.Say(fmt.Sprintf("W[%d, %d]·x[%d] = %s·%s = %s. %s", row, i, i, factorText(w), factorText(xv),
		lesson.FormatNumber(w*xv), s.rowWords()))
	return true, true
}

// mapEvent: the pointer moves the filter over the map (not while it
// slides by itself); a click also says the value.
func (s *FCScreen) mapEvent(ev ui.Event, say *ui.Announcer) (used, rebuild bool) {
	if ev.Type != ui.PointerMove && ev.Type != ui.PointerDown && ev.Type != ui.Click {
		return ev.Type == ui.PointerLeave, false
	}
	r := s.lay.convMap
	x, y, inside := s.at(ev, r)
	if !inside {
		return true, false
	}
	px := float64(r.Dx()) / lesson.FCMapSide
	return s.moveFilter(ev, int(y/px), int(x/px), say)
}

// moveFilter puts the filter at (i, j) of the map. Hovering does nothing
// while the filter slides by itself; a click stops the slide there.
func (s *FCScreen) moveFilter(ev ui.Event, i, j int, say *ui.Announcer) (used, rebuild bool) {
	m := s.m
	if ev.Type != ui.Click && m.SlidePlaying() {
		return true, false
	}
	if pi, pj := m.Position(); pi == i && pj == j && ev.Type != ui.Click {
		return true, false
	}
	playing := m.SlidePlaying()
	if err := m.SetPosition(i, j); err != nil {
		return true, false
	}
	if ev.Type == ui.Click {
		say.Say(s.convWords())
	}
	return true, playing
}

// key moves what a focused area shows with the arrow keys: the place of
// the column (±1 across, ±32 a row), or the filter on the map. Every other
// key, and arrows elsewhere, are left to the page's deck keys.
func (s *FCScreen) key(ev ui.Event, say *ui.Announcer) (used, rebuild bool) {
	var dx, dy int
	switch ev.Key {
	case "ArrowLeft":
		dx = -1
	case "ArrowRight":
		dx = 1
	case "ArrowUp":
		dy = -1
	case "ArrowDown":
		dy = 1
	default:
		return false, false
	}
	switch f := s.focus; {
	case f == "strip" || strings.HasPrefix(f, "plane-") || (f == "picture" && s.tab != "conv"):
		if s.tab != "stretch" && s.tab != "scores" {
			return false, false
		}
		i := min(max(s.index+dx+dy*lesson.FCSide, 0), lesson.FCLen-1)
		s.index = i
		say.Say(s.indexWords(i))
		return true, false
	case f == "conv-map" || (f == "picture" && s.tab == "conv"):
		if s.tab != "conv" {
			return false, false
		}
		i, j := s.m.Position()
		i, j = min(max(i+dy, 0), lesson.FCMapSide-1), min(max(j+dx, 0), lesson.FCMapSide-1)
		playing := s.m.SlidePlaying()
		if err := s.m.SetPosition(i, j); err != nil {
			return true, false
		}
		say.Say(s.convWords())
		return true, playing
	}
	return false, false
}
