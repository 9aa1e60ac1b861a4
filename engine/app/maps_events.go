package app

import (
	"fmt"
	"image"
	"math"
	"strconv"
	"strings"

	"convlab/engine/data"
	"convlab/engine/lesson"
	picfile "convlab/engine/lesson/picture"
	"convlab/engine/ui"
)

// Handle acts on one event aimed at the screen's widgets, or a key.
func (s *MapsScreen) Handle(ev ui.Event, say *ui.Announcer) bool {
	used, changed := s.handle(ev, say)
	switch {
	case changed:
		s.refresh()
	case used:
		s.paint()
	}
	return used
}

// handle acts on ev and reports whether it used it and whether the model
// or the layout changed (else only the marks need redrawing).
func (s *MapsScreen) handle(ev ui.Event, say *ui.Announcer) (used, changed bool) {
	name := ev.Target
	switch {
	case ev.Type == ui.Key:
		return s.key(ev, say)
	case ev.Type == ui.FileChosen && (name == "upload" || name == ""):
		return s.fileChosen(ev, say), true
	case name == "pad":
		return s.padEvent(ev, say)
	case strings.HasPrefix(name, "map-"):
		return s.mapEvent(ev, say)
	case strings.HasPrefix(name, "stack-"):
		return s.stackEvent(ev)
	case strings.HasPrefix(name, "weight-") || strings.HasPrefix(name, "bias-"):
		return s.cellEvent(ev, say)
	}
	if ev.Type != ui.Click {
		return false, false
	}
	return s.click(name, say), true
}

// click acts on a button, toggle, choice or a cell that is clicked.
func (s *MapsScreen) click(name string, say *ui.Announcer) bool {
	m := s.m
	if t, ok := strings.CutPrefix(name, "tab-"); ok && mapsTabIndex(t) >= 0 {
		s.tab = t
		s.hover = mapsHover{}
		say.Say(mapsTabWords(t, m))
		return true
	}
	if src, ok := strings.CutPrefix(name, "source-"); ok {
		return s.chooseSource(src, say)
	}
	if id, ok := strings.CutPrefix(name, "input-"); ok && name != "input-more" {
		return s.chooseInput(strings.Replace(id, "-", ":", 1), say)
	}
	if v, ok := mapsChoice(name, "padding-"); ok {
		s.shapeSaid(m.SetPadding(v), fmt.Sprintf("Padding %d", v), say)
		return true
	}
	if v, ok := mapsChoice(name, "stride-"); ok {
		s.shapeSaid(m.SetStride(v), fmt.Sprintf("Stride %d", v), say)
		return true
	}
	if v, ok := mapsChoice(name, "kernel-"); ok {
		s.shapeSaid(m.SetKernelSize(v), fmt.Sprintf("Every filter is now %d x %d", v, v), say)
		return true
	}
	if f, ok := mapsChoice(name, "filter-"); ok {
		if f < 0 || f >= m.Bank().Filters() {
			return false
		}
		s.editing, s.errCell, s.hover = f, "", mapsHover{}
		say.Say(fmt.Sprintf("Filter %d (%s) open: its weights are the cells; type, drag or turn the wheel to change one.", f+1, m.Bank().Names[f]))
		return true
	}
	if c, ok := mapsChoice(name, "channel-"); ok {
		if c < 0 || c >= m.Bank().Channels() {
			return false
		}
		s.channel = c
		say.Say("Showing the " + mapsChannelName(c, m.Bank().Channels()) + " channel's weights.")
		return true
	}
	if p, ok := strings.CutPrefix(name, "preset-"); ok && p != "all" {
		return s.preset(p, say)
	}
	if ink, ok := strings.CutPrefix(name, "ink-"); ok {
		return s.chooseInk(ink, say)
	}
	if b, ok := mapsChoice(name, "brush-"); ok {
		return s.chooseBrush(b, say)
	}
	if p, ok := strings.CutPrefix(name, "compose-pad-"); ok {
		var p1, p2 int
		if _, err := fmt.Sscanf(p, "%d-%d", &p1, &p2); err != nil {
			return false
		}
		if err := m.SetComposePadding(p1, p2); err != nil {
			say.Say(err.Error())
			return true
		}
		say.Say(mapsComposeWords(m))
		return true
	}
	switch name {
	case "relu":
		m.SetReLU(!m.ReLU())
		s.reprobe()
		if m.ReLU() {
			say.Say("ReLU on: every negative activation becomes 0. " + mapsComposeWords(m))
		} else {
			say.Say("ReLU off: the maps show the convolutions' outputs as they are. " + mapsComposeWords(m))
		}
	case "shared-range":
		m.SetSharedRange(!m.SharedRange())
		if m.SharedRange() {
			say.Say("One colour scale for all maps: compare how strongly each filter answers.")
		} else {
			say.Say("Each map on its own colour scale: faint maps show their pattern too.")
		}
	case "preset-all":
		s.presetAll = !s.presetAll
		say.Say("Presets go on " + s.presetWhere() + ".")
	case "close-editor":
		s.editing, s.errCell, s.hover = -1, "", mapsHover{}
		say.Say("Every filter with its map.")
	case "reset-filters":
		m.ResetFilters()
		s.errCell = ""
		say.Say("The starting filters are back: " + m.FilterShape() + ".")
	case "load-pretrained":
		return s.loadLearned(say)
	case "input-more":
		n := s.thumbCount(s.source)
		per := mapsThumbs * mapsThumbRow
		s.pages[s.source] = (s.pages[s.source] + 1) % ((n + per - 1) / per)
		say.Say(fmt.Sprintf("Pictures %d to %d of %d.", s.pages[s.source]*per+1, min(n, (s.pages[s.source]+1)*per), n))
	case "maps-prev":
		s.bankPage = max(0, s.bankPage-1)
		say.Say(fmt.Sprintf("Filters from %d.", s.bankPage*s.lay.perPage+1))
	case "maps-next":
		s.bankPage++
		say.Say(fmt.Sprintf("Filters from %d.", s.bankPage*s.lay.perPage+1))
	case "pad-clear":
		m.PadClear()
		say.Say("The pad is clear.")
	case "compose-random":
		m.RandomizeComposition()
		say.Say("New kernels. " + mapsComposeWords(m))
	default:
		return false
	}
	return true
}

// mapsChoice reads the number after prefix in a widget name.
func mapsChoice(name, prefix string) (int, bool) {
	v, ok := strings.CutPrefix(name, prefix)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

// shapeSaid says the outcome of a change of shape: the refusal, the new
// output shape, or why there is none.
func (s *MapsScreen) shapeSaid(err error, what string, say *ui.Announcer) {
	m := s.m
	s.hover = mapsHover{}
	switch {
	case err != nil:
		say.Say(err.Error())
	case m.Output() == nil:
		say.Say(what + ": no maps. " + m.ShapeError())
	default:
		say.Say(what + ": the maps are " + m.OutputShape() + ".")
	}
}

// chooseSource shows a kind of input and picks its first picture, unless
// the input is already of that kind.
func (s *MapsScreen) chooseSource(src string, say *ui.Announcer) bool {
	if src == "digit" {
		s.ensureDigits()
	}
	if !s.hasSource(src) {
		why := ""
		if s.srcErr != "" {
			why = " " + mapsSentence(s.srcErr)
		}
		say.Say("No " + strings.ToLower(mapsSourceLabel(src)) + " are loaded in this page." + why)
		return true
	}
	s.source = src
	if mapsSourceOf(s.m.InputID()) == src {
		say.Say(mapsSourceLabel(src) + ".")
		return true
	}
	id := lesson.PadGrey
	if src != "pad" {
		id = s.thumbIDs()[0]
	}
	return s.chooseInput(id, say)
}

// fileChosen takes a picture file the student chose or dropped: a file the
// page did not read is refused at once; one it read waits a frame, so the
// page can say it is reading it, and Tick decodes it.
func (s *MapsScreen) fileChosen(ev ui.Event, say *ui.Announcer) bool {
	s.hover = mapsHover{}
	size := int64(max(0, min(ev.Value, 1<<62)))
	if ev.Data == nil || size > picfile.MaxBytes {
		say.Say(s.usePicture(ev.Text, size, ev.Data))
		return true
	}
	s.reading = &mapsReading{name: ev.Text, size: size, data: ev.Data, wait: 1, say: say}
	say.Say("Reading " + picfile.Name(ev.Text) + "…")
	return true
}

// usePicture decodes a picture file into the model and says the outcome:
// the refusal (the input stays) or the new input.
func (s *MapsScreen) usePicture(name string, size int64, data []byte) string {
	p, err := picfile.Decode(name, size, data)
	if err == nil {
		err = s.m.SetPicture(p)
	}
	if err != nil {
		s.m.Refuse(err)
		s.errCell = "upload"
		// The message starts with the file's name: kept as it is spelt.
		return strings.TrimSuffix(err.Error(), ".") + ". The input stays " + s.inputWords(s.m.InputID()) + "."
	}
	s.errCell = ""
	s.source = "picture"
	s.pages["picture"] = 0 // the student's picture is the first thumbnail
	return fmt.Sprintf("Input: your picture %s (%s, %d x %d), its middle square scaled to %s. %s",
		p.Name, p.Format, p.W, p.H, s.m.InputShape(), mapsOutputWords(s.m))
}

// chooseInput makes id the input.
func (s *MapsScreen) chooseInput(id string, say *ui.Announcer) bool {
	m := s.m
	s.hover = mapsHover{}
	if mapsSourceOf(id) == "digit" {
		s.ensureDigits()
	}
	if err := m.SetInput(id); err != nil {
		say.Say(err.Error())
		return true
	}
	s.source = mapsSourceOf(id)
	say.Say("Input: " + s.inputWords(id) + ", " + m.InputShape() + ". " + mapsOutputWords(m))
	return true
}

// mapsOutputWords says what the bank makes of the input.
func mapsOutputWords(m *lesson.Maps) string {
	if m.Output() == nil {
		return "No maps: " + m.ShapeError()
	}
	return "The " + strconv.Itoa(m.Bank().Filters()) + " filters give maps of " + m.OutputShape() + "."
}

// mapsComposeWords says the composition check's verdict.
func mapsComposeWords(m *lesson.Maps) string {
	c := m.Composition()
	if c.TwoStep == nil {
		return "The composition check cannot run: " + m.CompositionError()
	}
	d := lesson.FormatNumber(c.MaxDiff)
	switch {
	case c.ReLU:
		return "With ReLU between the two convolutions, one 5x5 convolution differs from them by up to " + d + "."
	case c.Pad2 > 0:
		return "Two convolutions and one 5x5 agree inside (up to " + lesson.FormatNumber(c.MaxDiffInterior) + ") but differ on the border by up to " + d + "."
	}
	return "Two convolutions and one 5x5 convolution differ by at most " + d + ": they are the same."
}

// preset puts a preset on the open filter.
func (s *MapsScreen) preset(key string, say *ui.Announcer) bool {
	m := s.m
	if s.editing < 0 {
		return false
	}
	name := ""
	for _, p := range lesson.KernelPresets {
		if strings.ReplaceAll(p, " ", "-") == key {
			name = p
		}
	}
	if name == "" {
		return false
	}
	c := s.presetChannel()
	where := s.presetWhere()
	if err := m.ApplyPreset(s.editing, c, name); err != nil {
		say.Say(err.Error())
		return true
	}
	s.errCell = ""
	say.Say(mapsSentence(name) + " on " + where + ". " + mapsOutputWords(m))
	return true
}

// presetChannel returns the channel a preset goes on: every channel
// (lesson.AllChannels) when the screen says so or the input has one.
func (s *MapsScreen) presetChannel() int {
	if s.presetAll || s.m.Bank().Channels() == 1 {
		return lesson.AllChannels
	}
	return s.channel
}

// chooseInk sets the pad's ink.
func (s *MapsScreen) chooseInk(name string, say *ui.Announcer) bool {
	pad := s.m.Pad()
	if pad == nil {
		return false
	}
	inks := mapsGreyInks
	if pad.C == 3 {
		inks = mapsColourInks
	}
	for _, sw := range inks {
		if sw.name == "ink-"+name {
			if err := s.m.SetInk(sw.ink...); err != nil {
				say.Say(err.Error())
				return true
			}
			say.Say(mapsSentence(mapsInkWords(sw.name, pad.C)))
			return true
		}
	}
	return false
}

// chooseBrush sets the pad's brush to the b-th size (from 1).
func (s *MapsScreen) chooseBrush(b int, say *ui.Announcer) bool {
	pad := s.m.Pad()
	if pad == nil {
		return false
	}
	radii := mapsGreyBrushes
	if pad.C == 3 {
		radii = mapsColourBrushes
	}
	if b < 1 || b > len(radii) {
		return false
	}
	if err := s.m.SetBrush(radii[b-1]); err != nil {
		say.Say(err.Error())
		return true
	}
	say.Say(fmt.Sprintf("Brush of radius %v pixels.", radii[b-1]))
	return true
}

// loadLearned puts a trained network's first layer into the bank: the one
// for the input's channels if there is one, else the first.
func (s *MapsScreen) loadLearned(say *ui.Announcer) bool {
	if len(s.learned) == 0 {
		say.Say("No trained network's filters are available in this page yet.")
		return true
	}
	pick := s.learned[0]
	for _, l := range s.learned {
		if l.w.Shape[1] == s.m.Input().Shape[0] {
			pick = l
			break
		}
	}
	if pick.w.Shape[1] == 1 {
		s.ensureDigits() // so that a grey bank comes with a digit to act on
	}
	if err := s.m.LoadFilters(pick.w, pick.b, true); err != nil {
		say.Say("The trained filters could not be loaded: " + err.Error())
		return true
	}
	s.editing, s.errCell, s.hover, s.bankPage = -1, "", mapsHover{}, 0
	s.source = mapsSourceOf(s.m.InputID())
	say.Say(fmt.Sprintf("Loaded %d filters (%s) learned from %s by a trained network's first layer. %s",
		pick.w.Shape[0], s.m.FilterShape(), pick.from, mapsOutputWords(s.m)))
	return true
}

// cellEvent acts on an event aimed at a weight or bias cell.
func (s *MapsScreen) cellEvent(ev ui.Event, say *ui.Announcer) (used, changed bool) {
	switch ev.Type {
	case ui.Commit:
		s.editCell(ev.Target, say, func(f, c, u, v int, bias bool) error {
			if bias {
				return s.m.SetBias(f, ev.Text)
			}
			return s.m.SetWeight(f, c, u, v, ev.Text)
		})
		return true, true
	case ui.Cancel:
		if s.errCell == ev.Target {
			s.errCell = ""
		}
		say.Say("Edit cancelled: " + s.cellWords(ev.Target) + " stays " + s.cellValue(ev.Target) + ".")
		return true, true
	case ui.Wheel:
		if ev.Delta == 0 {
			return false, false
		}
		s.nudge(ev.Target, float64(ev.Delta), say)
		return true, true
	case ui.PointerDown:
		s.drag = mapsDrag{name: ev.Target, startY: ev.Y}
		return true, false
	case ui.PointerMove:
		if s.drag.name != ev.Target {
			return false, false // hovering
		}
		steps := ui.DragSteps(ev.Y - s.drag.startY)
		if steps == s.drag.applied {
			return true, false
		}
		d := steps - s.drag.applied
		s.drag.applied = steps
		s.nudge(ev.Target, float64(d), say)
		return true, true
	case ui.PointerUp:
		used := s.drag.name == ev.Target
		s.drag = mapsDrag{}
		return used, false
	case ui.Click:
		return true, false // the click only focuses the cell for typing
	}
	return false, false
}

// nudge moves a cell's value by steps notches.
func (s *MapsScreen) nudge(name string, steps float64, say *ui.Announcer) {
	s.editCell(name, say, func(f, c, u, v int, bias bool) error {
		if bias {
			return s.m.NudgeBias(f, steps)
		}
		return s.m.Nudge(f, c, u, v, steps)
	})
}

// editCell applies an edit to the cell named name and says the outcome: a
// refusal (the old value stays, the message shows next to the cell) or the
// new value and what it did to the map.
func (s *MapsScreen) editCell(name string, say *ui.Announcer, edit func(f, c, u, v int, bias bool) error) {
	f, c, u, v, bias, ok := mapsParseCell(name)
	if !ok {
		return
	}
	if err := edit(f, c, u, v, bias); err != nil {
		s.errCell = name
		say.Say(mapsCapital(s.cellWords(name)) + ": " + mapsSentence(err.Error()) + " It stays " + s.cellValue(name) + ".")
		return
	}
	s.errCell = ""
	s.reprobe()
	words := mapsCapital(s.cellWords(name)) + " = " + s.cellValue(name) + "."
	if out := s.m.Output(); out != nil {
		lo, hi := s.m.MinMax(f)
		words += fmt.Sprintf(" Map %d now runs from %s to %s.", f+1, lesson.FormatNumber(lo), lesson.FormatNumber(hi))
	}
	say.Say(words)
}

// mapsParseCell reads "weight-f-c-u-v" or "bias-f".
func mapsParseCell(name string) (f, c, u, v int, bias, ok bool) {
	if b, found := strings.CutPrefix(name, "bias-"); found {
		n, err := strconv.Atoi(b)
		return n, 0, 0, 0, true, err == nil
	}
	w, found := strings.CutPrefix(name, "weight-")
	if !found {
		return 0, 0, 0, 0, false, false
	}
	parts := strings.Split(w, "-")
	if len(parts) != 4 {
		return 0, 0, 0, 0, false, false
	}
	var n [4]int
	for i, p := range parts {
		x, err := strconv.Atoi(p)
		if err != nil {
			return 0, 0, 0, 0, false, false
		}
		n[i] = x
	}
	return n[0], n[1], n[2], n[3], false, true
}

// cellWords names a cell: "filter 2's weight at red row 1, column 3".
func (s *MapsScreen) cellWords(name string) string {
	f, c, u, v, bias, ok := mapsParseCell(name)
	if !ok {
		return name
	}
	if bias {
		return fmt.Sprintf("filter %d's bias", f+1)
	}
	ch := ""
	if n := s.m.Bank().Channels(); n > 1 {
		ch = mapsChannelName(c, n) + " "
	}
	return fmt.Sprintf("filter %d's weight at %srow %d, column %d", f+1, ch, u+1, v+1)
}

// cellValue writes a cell's value as the page shows it.
func (s *MapsScreen) cellValue(name string) string {
	f, c, u, v, bias, ok := mapsParseCell(name)
	b := s.m.Bank()
	switch {
	case !ok || f < 0 || f >= b.Filters():
		return ""
	case bias:
		return lesson.FormatNumber(b.B[f])
	case c < 0 || c >= b.Channels() || u < 0 || u >= b.K() || v < 0 || v >= b.K():
		return ""
	}
	return lesson.FormatNumber(b.W.At(f, c, u, v))
}

// mapEvent acts on the pointer over a map: hovering probes an activation,
// a click keeps it shown (a second click lets it go).
func (s *MapsScreen) mapEvent(ev ui.Event, say *ui.Announcer) (used, changed bool) {
	f, err := strconv.Atoi(strings.TrimPrefix(ev.Target, "map-"))
	out := s.m.Output()
	if err != nil || out == nil || f < 0 || f >= out.Shape[0] {
		return false, false
	}
	r := s.mapRect(f)
	i, j, inside := s.cellAt(ev, r, out.Shape[1], out.Shape[2])
	switch ev.Type {
	case ui.PointerMove, ui.PointerDown:
		if !inside {
			return true, s.unhover()
		}
		h := mapsHover{on: true, F: f, I: i, J: j}
		if s.hover.on && !s.hover.stack && s.hover.F == f && s.hover.I == i && s.hover.J == j {
			return true, false
		}
		s.hover = h
		s.reprobe()
		return true, false
	case ui.PointerLeave:
		return true, s.unhover()
	case ui.Click:
		if !inside {
			return true, false
		}
		if sel, ok := s.m.Selected(); ok && sel.F == f && sel.I == i && sel.J == j {
			s.m.Deselect()
			say.Say("Let go of the activation.")
			return true, true
		}
		if err := s.m.Select(f, i, j); err != nil {
			say.Say(err.Error())
			return true, true
		}
		p, _ := s.m.Selected()
		say.Say(fmt.Sprintf("Map %d, row %d, column %d = %s: %s", f+1, i+1, j+1, lesson.FormatNumber(p.Value), p.Dot.Brief()))
		return true, true
	}
	return false, false
}

// unhover forgets the hovered activation; it reports false, as nothing but
// the marks changes.
func (s *MapsScreen) unhover() bool {
	s.hover = mapsHover{}
	return false
}

// reprobe recomputes the hovered activation's probe after a change.
func (s *MapsScreen) reprobe() {
	h := &s.hover
	if !h.on || h.stack {
		return
	}
	p, err := s.m.Probe(h.F, h.I, h.J)
	h.probe, h.probed = p, err == nil
	if err != nil {
		*h = mapsHover{}
	}
}

// mapRect returns the rectangle map f is shown in.
func (s *MapsScreen) mapRect(f int) (r image.Rectangle) {
	if s.editing >= 0 {
		return s.lay.big.mp
	}
	for _, c := range s.lay.cols {
		if c.f == f {
			return c.mp
		}
	}
	return image.Rectangle{}
}

// cellAt turns a pointer position (CSS px inside r) into the row and
// column of an h x w grid drawn in r, and reports whether it is inside.
func (s *MapsScreen) cellAt(ev ui.Event, r image.Rectangle, h, w int) (i, j int, inside bool) {
	if r.Empty() {
		return 0, 0, false
	}
	sc := s.scale()
	x := ev.X / sc / float64(r.Dx()) * float64(w)
	y := ev.Y / sc / float64(r.Dy()) * float64(h)
	if x < 0 || y < 0 || x >= float64(w) || y >= float64(h) || math.IsNaN(x+y) {
		return 0, 0, false
	}
	return int(y), int(x), true
}

// stackEvent acts on the pointer over a layer's mosaic: the hovered unit's
// receptive field shows on the input.
func (s *MapsScreen) stackEvent(ev ui.Event) (used, changed bool) {
	l, err := strconv.Atoi(strings.TrimPrefix(ev.Target, "stack-"))
	st := s.m.Stack()
	if err != nil || st == nil || l < 0 || l >= len(s.lay.stackCols) {
		return false, false
	}
	switch ev.Type {
	case ui.PointerMove, ui.PointerDown, ui.Click:
		out := st.Outputs[l]
		c := s.lay.stackCols[l]
		h, w := out.Shape[1], out.Shape[2]
		rows := (out.Shape[0] + c.cols - 1) / c.cols
		y, x, inside := s.cellAt(ev, c.mosaic, rows*(h+1)-1, c.cols*(w+1)-1)
		f := (y/(h+1))*c.cols + x/(w+1)
		i, j := y%(h+1), x%(w+1)
		if !inside || i == h || j == w || f >= out.Shape[0] {
			return true, s.unhover()
		}
		s.hover = mapsHover{on: true, stack: true, L: l, F: f, I: i, J: j}
		return true, false
	case ui.PointerLeave:
		return true, s.unhover()
	}
	return false, false
}

// padEvent draws on the pad: press, move and release become a stroke in
// pad pixels.
func (s *MapsScreen) padEvent(ev ui.Event, say *ui.Announcer) (used, changed bool) {
	pad := s.m.Pad()
	if pad == nil {
		return false, false
	}
	r := s.lay.pic
	sc := s.scale()
	x := float32(ev.X / sc / float64(r.Dx()) * float64(pad.W))
	y := float32(ev.Y / sc / float64(r.Dy()) * float64(pad.H))
	switch ev.Type {
	case ui.PointerDown:
		s.m.PadDown(x, y)
		return true, true
	case ui.PointerMove:
		if !pad.Drawing() {
			return true, false
		}
		s.m.PadMove(x, y)
		return true, true
	case ui.PointerUp, ui.PointerLeave:
		if !pad.Drawing() {
			return true, false
		}
		s.m.PadUp()
		say.Say("Drawn. " + mapsOutputWords(s.m))
		return true, true
	case ui.Click:
		return true, false
	}
	return false, false
}

// key handles Escape: it closes the editor, or lets go of the clicked
// activation. Every other key is left to the page.
func (s *MapsScreen) key(ev ui.Event, say *ui.Announcer) (used, changed bool) {
	if ev.Key != "Escape" {
		return false, false
	}
	if _, ok := s.m.Selected(); ok {
		s.m.Deselect()
		say.Say("Let go of the activation.")
		return true, true
	}
	if s.editing >= 0 {
		s.editing, s.errCell = -1, ""
		say.Say("Every filter with its map.")
		return true, true
	}
	return false, false
}

// hasSource reports whether inputs of a kind are loaded or can be.
func (s *MapsScreen) hasSource(src string) bool {
	return src == "pad" || s.setLen(src) > 0 || (src == "digit" && s.loadDigits != nil)
}

// set returns the data set of a kind of input, or nil.
func (s *MapsScreen) set(src string) *data.Set {
	switch src {
	case "digit":
		return s.src.Digits
	case "picture":
		return s.src.Pictures
	case "colour":
		return s.src.Colour
	}
	return nil
}

// setLen returns the number of pictures of a kind.
func (s *MapsScreen) setLen(src string) int {
	if set := s.set(src); set != nil {
		return set.Len()
	}
	return 0
}

// setOf returns the set and index of an input id, or nil.
func (s *MapsScreen) setOf(id string) (*data.Set, int) {
	kind, num, _ := strings.Cut(id, ":")
	set := s.set(kind)
	i, err := strconv.Atoi(num)
	if set == nil || err != nil || i < 0 || i >= set.Len() {
		return nil, 0
	}
	return set, i
}

// thumbCount returns how many thumbnails a kind of input has: its set's
// pictures, and among the pictures the student's own, first.
func (s *MapsScreen) thumbCount(src string) int {
	n := s.setLen(src)
	if _, ok := s.m.Picture(); ok && src == "picture" {
		n++
	}
	return n
}

// thumbIDs returns the inputs the thumbnails show: a page of the source's
// pictures (the student's own first among the pictures).
func (s *MapsScreen) thumbIDs() []string {
	n := s.thumbCount(s.source)
	per := mapsThumbs * mapsThumbRow
	first := s.pages[s.source] * per
	own := 0
	if n > s.setLen(s.source) {
		own = 1
	}
	var ids []string
	for i := first; i < n && i < first+per; i++ {
		if i < own {
			ids = append(ids, lesson.Upload)
			continue
		}
		ids = append(ids, s.source+":"+strconv.Itoa(i-own))
	}
	return ids
}

// inputWords names an input for the status line: "a handwritten 7 (digit
// 12)", "the picture zebra".
func (s *MapsScreen) inputWords(id string) string {
	switch id {
	case lesson.PadGrey:
		return "the grey drawing pad"
	case lesson.PadColour:
		return "the colour drawing pad"
	case lesson.Upload:
		if p, ok := s.m.Picture(); ok {
			return "your picture " + p.Name
		}
	}
	set, i := s.setOf(id)
	if set == nil {
		return id
	}
	class := ""
	if int(set.Labels[i]) < len(set.Classes) {
		class = set.Classes[set.Labels[i]]
	}
	kind, _, _ := strings.Cut(id, ":")
	switch kind {
	case "digit":
		return fmt.Sprintf("a handwritten %s (digit %d)", class, i)
	case "picture":
		return "the picture " + class
	}
	return fmt.Sprintf("a %s pattern (colour pattern %d)", class, i)
}
