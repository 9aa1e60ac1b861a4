package app

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strconv"
	"strings"

	"convlab/engine/lesson"
	"convlab/engine/raster"
	"convlab/engine/tensor"
	"convlab/engine/ui"
)

// refresh rebuilds the layout, the widgets, the pictures and the marks
// after a change.
func (s *FCScreen) refresh() {
	s.layout()
	s.buildWidgets()
	s.refreshPictures()
}

// refreshPictures remakes the pictures that may have changed, then the marks.
func (s *FCScreen) refreshPictures() {
	if s.m != nil {
		s.pictures()
	}
	s.paint()
}

// fcPic returns the picture under key, making it with draw when it is new
// or when fresh is set. A remade picture that differs from the old one
// takes the current generation as its version, so the page uploads it
// again only when it changed.
func (s *FCScreen) fcPic(key string, fresh bool, draw func() *image.RGBA) *Picture {
	return cachedPic(s.pics, key, "fc-"+key, s.gen, fresh, draw)
}

// Colours of the column: a value v of channel c is drawn as v of that
// channel's own colour on black, so the red, green and blue thirds of the
// column show as such; a value not yet filled is light grey.
var (
	fcChannelInk = [3]color.RGBA{{255, 40, 40, 255}, {30, 200, 60, 255}, {50, 110, 255, 255}}
	fcEmpty      = color.RGBA{0xe5, 0xe7, 0xeb, 0xff}
)

// fcValueColour returns the colour of value v (in [0, 1]) of channel c.
func fcValueColour(c int, v float32) color.RGBA {
	v = min(max(v, 0), 1)
	k := fcChannelInk[c]
	sc := func(x uint8) uint8 { return uint8(math.Round(float64(x) * float64(v))) }
	return color.RGBA{sc(k.R), sc(k.G), sc(k.B), 255}
}

// fcStripImage draws the first filled values of x (3072) as a 3072 x 1
// picture, the rest empty.
func fcStripImage(x []float32, filled int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, len(x), 1))
	for i, v := range x {
		col := fcEmpty
		if i < filled {
			c, _, _ := lesson.FCPixel(i)
			col = fcValueColour(c, v)
		}
		img.SetRGBA(i, 0, col)
	}
	return img
}

// fcPlaneImage draws channel c of x (3, 32, 32) in that channel's colour.
func fcPlaneImage(x *tensor.Tensor, c int) *image.RGBA {
	n := lesson.FCSide
	img := image.NewRGBA(image.Rect(0, 0, n, n))
	for y := 0; y < n; y++ {
		for xx := 0; xx < n; xx++ {
			img.SetRGBA(xx, y, fcValueColour(c, x.Data[lesson.FCIndex(c, y, xx)]))
		}
	}
	return img
}

// fcMapLimit returns the half-width of the colour scale of filter f's
// maps: the largest |value| of its map of the centred picture, so the
// colours of a map mean the same however the picture is shifted.
func (s *FCScreen) fcMapLimit(f int) float32 {
	n := lesson.FCMapSide * lesson.FCMapSide
	_, lim := raster.SymmetricRange(s.m.CentredMaps().Data[f*n : (f+1)*n])
	if !(lim > 0) {
		lim = 1
	}
	return lim
}

// fcMapImage draws filter f's map of the shifted picture, only its first
// shown positions (row by row), the rest empty.
func (s *FCScreen) fcMapImage(f, shown int) *image.RGBA {
	n := lesson.FCMapSide * lesson.FCMapSide
	lim := s.fcMapLimit(f)
	img := raster.HeatMap(s.m.Maps().Data[f*n:(f+1)*n], lesson.FCMapSide, lesson.FCMapSide, -lim, lim, raster.DivergingMap)
	for k := shown; k < n; k++ {
		img.SetRGBA(k%lesson.FCMapSide, k/lesson.FCMapSide, fcEmpty)
	}
	return img
}

// pictures remakes the pictures the current tab shows.
func (s *FCScreen) pictures() {
	s.gen++
	m := s.m
	for _, in := range m.Inputs() {
		s.fcPic("thumb-"+in.ID, false, func() *image.RGBA { return mapsInputImage(in.X) })
	}
	s.fcPic("input", true, func() *image.RGBA { return mapsInputImage(m.Picture()) })
	switch s.tab {
	case "stretch":
		for c := 0; c < 3; c++ {
			s.fcPic("plane-"+strconv.Itoa(c), true, func() *image.RGBA { return fcPlaneImage(m.Picture(), c) })
		}
		s.fcPic("strip", true, func() *image.RGBA { return fcStripImage(m.Picture().Data, m.StretchFilled()) })
	case "scores":
		s.fcPic("strip", true, func() *image.RGBA { return fcStripImage(m.Picture().Data, lesson.FCLen) })
		w := m.Weights()
		_, lim := raster.SymmetricRange(w.Data)
		for k := 0; k < lesson.FCClasses; k++ {
			row := w.Data[k*lesson.FCLen : (k+1)*lesson.FCLen]
			s.fcPic("wrow-"+strconv.Itoa(k), false, func() *image.RGBA {
				return raster.HeatMap(row, lesson.FCLen, 1, -lim, lim, raster.DivergingMap)
			})
			s.fcPic("tmpl-"+strconv.Itoa(k), false, func() *image.RGBA { return raster.FilterImage(row, 3, lesson.FCSide) })
		}
		s.fcPic("contrib", true, func() *image.RGBA {
			c := m.RowDot(m.Row()).Contribution
			_, lim := raster.SymmetricRange(c)
			return raster.HeatMap(c, lesson.FCSide, lesson.FCSide, -lim, lim, raster.DivergingMap)
		})
	case "conv":
		b := m.Bank()
		n := lesson.FCChannels * lesson.FCKernel * lesson.FCKernel
		for f := 0; f < b.Filters(); f++ {
			s.fcPic("filter-"+strconv.Itoa(f), false, func() *image.RGBA {
				return raster.FilterImage(b.W.Data[f*n:(f+1)*n], lesson.FCChannels, lesson.FCKernel)
			})
		}
		s.fcPic("map", true, func() *image.RGBA { return s.fcMapImage(m.Filter(), m.SlideShown()) })
	case "compare":
		for f := 0; f < lesson.FCFilters; f++ {
			s.fcPic("map-"+strconv.Itoa(f), true, func() *image.RGBA { return s.fcMapImage(f, lesson.FCMapSide*lesson.FCMapSide) })
		}
	}
}

// buildWidgets makes the screen's controls in tab order: the tabs, the
// input column, then the tab's own.
func (s *FCScreen) buildWidgets() {
	l := &s.lay
	ws := s.widgets[:0]
	for i, t := range FCTabs {
		ws = append(ws, ui.Widget{Name: "tab-" + t, Kind: ui.Choice, Group: "fc-tab", Rect: l.tabs[i], Label: fcTabLabels[t],
			On: s.tab == t, Tooltip: fcTabTip(t)})
	}
	if s.m == nil {
		s.widgets = ws
		return
	}
	m := s.m
	for i, src := range []string{"digits", "pictures"} {
		ws = append(ws, ui.Widget{Name: "source-" + src, Kind: ui.Choice, Group: "fc-source", Rect: l.sources[i],
			Label: capitalize(src), On: s.source == src, Tooltip: fcSourceTip(src)})
	}
	for _, t := range l.thumbs {
		name := m.Inputs()[fcInputIndex(m, t.id)].Name
		ws = append(ws, ui.Widget{Name: "input-" + t.id, Kind: ui.Cell, Group: "fc-thumb", Rect: t.r,
			Label: "Show the " + name, Tooltip: capitalize(name) + "."})
	}
	ws = append(ws, ui.Widget{Name: "picture", Kind: ui.Area, Group: "fc-area", Rect: l.pic,
		Label: "The input picture, 3 x 32 x 32: point at a pixel", Tooltip: fcPictureTip(s.tab)})
	for k, sh := range fcShifts {
		ws = append(ws, ui.Widget{Name: "shift-" + sh.name, Kind: ui.Button, Group: "fc-btn", Rect: l.shifts[k],
			Label: sh.label, Tooltip: sh.tip})
	}
	switch s.tab {
	case "stretch":
		for c := 0; c < 3; c++ {
			ws = append(ws, ui.Widget{Name: "plane-" + strconv.Itoa(c), Kind: ui.Area, Group: "fc-area", Rect: l.planes[c],
				Label:   fmt.Sprintf("Channel %d (%s) of the picture: point at a pixel to see where it lands in the column", c, fcChannelNames[c]),
				Tooltip: "Point at a pixel: its place in the column, (c·32 + y)·32 + x. Arrow keys move it."})
		}
		ws = append(ws, ui.Widget{Name: "strip", Kind: ui.Area, Group: "fc-area", Rect: l.strip,
			Label:   "The column x of 3072 numbers, lying down: point at a place to see which pixel it holds",
			Tooltip: "Point at a place of the column: which pixel it holds. Arrow keys move it."},
			ui.Widget{Name: "stretch-play", Kind: ui.Toggle, Group: "fc-btn", Rect: l.play, Label: fcStretchLabel(m.StretchPlaying()),
				On: m.StretchPlaying(), Tooltip: "Fill the column row by row of the picture: red's 32 rows, then green's, then blue's."})
	case "scores":
		ws = append(ws, ui.Widget{Name: "wx", Kind: ui.Area, Group: "fc-area", Rect: l.wxArea,
			Label:   "x lying down above the ten rows of W: point at a column to see x[i], W[k, i] and their product",
			Tooltip: "Point at a column: x[i], W[k, i] and their product. Click a row to write out its score."})
		for k, r := range l.rows {
			row := strconv.Itoa(k)
			ws = append(ws, ui.Widget{Name: "row-" + row, Kind: ui.Cell, Group: "fc-thumb", Rect: r.thumb,
				Label: "Row " + row + " of W as a 3 x 32 x 32 template", Tooltip: "Row " + row + " of W, reshaped to 3 x 32 x 32: the template of class " + row + ". Click to write out its score."},
				ui.Widget{Name: "score-" + row, Kind: ui.Cell, Group: "fc-thumb", Rect: image.Rect(r.b.Min.X, r.b.Min.Y, r.s.Max.X, r.s.Max.Y),
					Label: "Score " + row + " = " + lesson.FormatNumber(m.Scores()[k]), Tooltip: "Click to write out score " + row + "."})
		}
	case "conv":
		for f, r := range l.filters {
			name := m.Bank().Names[f]
			ws = append(ws, ui.Widget{Name: "filter-" + strconv.Itoa(f), Kind: ui.Cell, Group: "fc-thumb", Rect: r.thumb,
				Label: "Filter " + strconv.Itoa(f) + ": " + name, Tooltip: capitalize(name) + ": 3 x 5 x 5 weights."})
		}
		ws = append(ws, ui.Widget{Name: "conv-map", Kind: ui.Area, Group: "fc-area", Rect: l.convMap,
			Label:   "The filter's 28 x 28 activation map: point at a value to move the filter there",
			Tooltip: "Point at the map to move the filter. Arrow keys move it."},
			ui.Widget{Name: "slide-play", Kind: ui.Toggle, Group: "fc-btn", Rect: l.slide, Label: fcSlideLabel(m.SlidePlaying()),
				On: m.SlidePlaying(), Tooltip: "Slide the filter over all 28 x 28 positions, filling the map."})
	}
	s.widgets = ws
}

// fcShifts are the shift buttons, in the order of fcLayout.shifts.
var fcShifts = []struct {
	name, label, tip string
	dx, dy           int
}{
	{"left", "←", "Move the picture one pixel left; black moves in on the right.", -1, 0},
	{"right", "→", "Move the picture one pixel right; black moves in on the left.", 1, 0},
	{"up", "↑", "Move the picture one pixel up; black moves in at the bottom.", 0, -1},
	{"down", "↓", "Move the picture one pixel down; black moves in at the top.", 0, 1},
	{"centre", "Centre", "Put the picture back where it was.", 0, 0},
}

var fcChannelNames = [3]string{"red", "green", "blue"}

func fcInputIndex(m *lesson.FC, id string) int {
	for i, in := range m.Inputs() {
		if in.ID == id {
			return i
		}
	}
	return -1
}

func fcStretchLabel(playing bool) string {
	if playing {
		return "Stop"
	}
	return "Stretch it ▶"
}

func fcSlideLabel(playing bool) string {
	if playing {
		return "Stop"
	}
	return "Slide ▶"
}

func fcTabTip(t string) string {
	switch t {
	case "stretch":
		return "The picture stretched into a column of 3072 numbers (slides 5, 10)."
	case "scores":
		return "W, 10 x 3072, times x plus b: 10 scores, each one dot product (slides 10–11)."
	case "conv":
		return "A 3 x 5 x 5 filter slides over the picture, keeping its layout (slides 12–16)."
	}
	return "Both layers side by side: parameters, outputs, and what a shift does (slides 6, 18–19)."
}

func fcSourceTip(src string) string {
	if src == "digits" {
		return "Handwritten digits in colour: the classifier was trained on such digits, centred."
	}
	return "Photo-like pictures: the classifier still gives 10 scores, each a dot product."
}

func fcPictureTip(tab string) string {
	switch tab {
	case "conv":
		return "Point at the picture to move the filter's 5 x 5 window there."
	case "compare":
		return "The picture both layers see: move it with the arrows under it."
	}
	return "Point at a pixel: its place in the column."
}

// fcCaption returns the lecture's words for a tab.
func fcCaption(t string) string {
	switch t {
	case "stretch":
		return "Problem: so far our classifiers don't respect the spatial structure of images: a fully connected " +
			"layer stretches a 32x32x3 image into 3072 numbers (slides 5, 10)."
	case "scores":
		return "Fully connected layer: a 10 x 3072 weight matrix W. Each output is 1 number: a dot product between " +
			"a row of W and the input, 3072-dimensional (slides 10–11)."
	case "conv":
		return "Convolution layer: keep the image's spatial structure and slide a 3x5x5 filter over it; each value " +
			"is a 75-dimensional dot product plus a bias (slides 12–16)."
	}
	return "Shift the picture with the arrows: the maps move with it, value for value; the scores change. And the " +
		"convolution has 456 parameters, not 30,730 (slides 6, 18–19)."
}

// fcCount writes n with thousands separated by commas: 30,730.
func fcCount(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return lesson.Minus + s
	}
	return s
}

// fcShape writes a shape as the lecture does: "6 x 3 x 5 x 5".
func fcShape(sh []int) string {
	parts := make([]string, len(sh))
	for i, v := range sh {
		parts[i] = strconv.Itoa(v)
	}
	return strings.Join(parts, " x ")
}

// fcShiftWords writes a shift: "centred", "moved 2 right and 1 up".
func fcShiftWords(dx, dy int) string {
	var parts []string
	switch {
	case dx > 0:
		parts = append(parts, strconv.Itoa(dx)+" right")
	case dx < 0:
		parts = append(parts, strconv.Itoa(-dx)+" left")
	}
	switch {
	case dy > 0:
		parts = append(parts, strconv.Itoa(dy)+" down")
	case dy < 0:
		parts = append(parts, strconv.Itoa(-dy)+" up")
	}
	if len(parts) == 0 {
		return "centred"
	}
	return "moved " + strings.Join(parts, " and ")
}
