package app

import (
	"image"
	"math"

	"convlab/engine/lesson"
	"convlab/engine/ui"
)

// Sizes of the fully-connected-vs-convolution screen, in layout units.
const (
	fcColA   = 45 * ui.U // the input column: four arrows and "Centre" under the picture
	fcColGap = 3 * ui.U  // between the input column and the tab's area
	fcStatus = 6 * ui.U  // kept free at the bottom for the page's status line (two lines)
	fcLine   = 3 * ui.U  // one line of body text
	fcSmall  = 2 * ui.U  // one line of small text
	fcMath   = 22        // one line of written arithmetic (16-unit mono)
	fcThumbs = 5         // input thumbnails in a row
	fcCapH   = 7 * ui.U  // the tab caption: two lines
)

// fcLayout is where everything of the screen goes, in layout units.
type fcLayout struct {
	body  image.Rectangle // above the status line
	colA  image.Rectangle // the input column
	right image.Rectangle // the tabs, the caption and the tab's body
	tabs  []image.Rectangle
	cap   image.Rectangle // the caption
	main  image.Rectangle // the tab's body
	touch int             // the least side of a touch target: 44 CSS px in units

	// The input column.
	sources  [2]image.Rectangle // "digits", "pictures"
	thumbs   []fcThumb
	picTitle image.Rectangle
	pic      image.Rectangle // the shifted input, px units a pixel
	px       int
	shifts   [5]image.Rectangle // left, right, up, down, centre
	shiftTxt image.Rectangle

	// The stretch tab.
	planeTitles [3]image.Rectangle
	planes      [3]image.Rectangle // the channels, 32 x 32 each
	formula     image.Rectangle
	stripTitle  image.Rectangle
	strip       image.Rectangle // the column, lying down
	stripLabels [3]image.Rectangle
	zoomTitle   image.Rectangle
	zoom        image.Rectangle // 16 values of the column, 16 cells
	play        image.Rectangle
	playNote    image.Rectangle

	// The scores tab.
	xLabel   image.Rectangle
	xStrip   image.Rectangle // x lying down, above W's rows
	wTitle   image.Rectangle
	bTitle   image.Rectangle
	sTitle   image.Rectangle
	rows     []fcRow // one per class
	rowTitle image.Rectangle
	template image.Rectangle // the chosen row as 3 x 32 x 32
	tmplCap  image.Rectangle
	contrib  image.Rectangle // its products per pixel
	contrCap image.Rectangle
	dotText  image.Rectangle // the written dot product
	wxArea   image.Rectangle // x and W's rows: the pointer picks a column and a row

	// The conv tab.
	filters    []fcFilter
	gridTitles [3]image.Rectangle
	grids      [3]image.Rectangle // the filter's channels, 5 x 5 cells
	cell       int
	biasTitle  image.Rectangle
	bias       image.Rectangle
	filterNote image.Rectangle
	convText   image.Rectangle
	convNote   bool // the note under the arithmetic is shown (not on a short page)
	mapTitle   image.Rectangle
	convMap    image.Rectangle // the shown filter's 28 x 28 map
	slide      image.Rectangle // the play button
	mapNote    image.Rectangle

	// The compare tab.
	fcHead    [2]image.Rectangle
	bars      []image.Rectangle // (10) the scores' bars
	barLabels []image.Rectangle
	barValues []image.Rectangle
	fcVerdict image.Rectangle
	cvHead    [2]image.Rectangle
	maps      []image.Rectangle // (6) the maps
	mapNames  []image.Rectangle
	cvVerdict image.Rectangle
	ledger    image.Rectangle
}

// fcThumb is a thumbnail of an input.
type fcThumb struct {
	id string
	r  image.Rectangle
}

// fcRow is one row of the scores tab: the template (a button), W's row,
// the bias and the score.
type fcRow struct {
	thumb, strip, b, s image.Rectangle
}

// fcFilter is one filter's button and name on the conv tab.
type fcFilter struct {
	thumb, name image.Rectangle
}

// touchUnits returns the least side, in units, of a target 44 CSS pixels
// across at the frame's scale, rounded up to a multiple of 4.
func (s *FCScreen) touchUnits() int {
	u := int(math.Ceil(44 / s.frame.Scale))
	return (u + 3) / 4 * 4
}

// layout works out every rectangle from s.r and the frame.
func (s *FCScreen) layout() {
	l := fcLayout{touch: s.touchUnits()}
	r := s.r
	l.body = image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Max.Y-fcStatus)
	l.colA = image.Rect(l.body.Min.X, l.body.Min.Y, l.body.Min.X+fcColA, l.body.Max.Y)
	l.right = image.Rect(l.colA.Max.X+fcColGap, l.body.Min.Y, l.body.Max.X, l.body.Max.Y)
	x := l.right.Min.X
	for _, t := range FCTabs {
		w := ui.ButtonWidth(fcTabLabels[t])
		l.tabs = append(l.tabs, image.Rect(x, l.right.Min.Y, x+w, l.right.Min.Y+ui.Control))
		x += w + ui.Gap
	}
	l.cap = image.Rect(l.right.Min.X, l.right.Min.Y+ui.Control+ui.U, l.right.Max.X, l.right.Min.Y+ui.Control+ui.U+fcCapH)
	l.main = image.Rect(l.right.Min.X, l.cap.Max.Y+ui.U, l.right.Max.X, l.right.Max.Y)
	s.lay = l
	if s.m == nil {
		return
	}
	s.layoutInput()
	switch s.tab {
	case "stretch":
		s.layoutStretch()
	case "scores":
		s.layoutScores()
	case "conv":
		s.layoutConv()
	case "compare":
		s.layoutCompare()
	}
}

// layoutInput places the input column: the choice of digits or pictures,
// their thumbnails, the picture and the shift buttons.
func (s *FCScreen) layoutInput() {
	l := &s.lay
	a := l.colA
	half := (a.Dx() - ui.Gap) / 2
	l.sources[0] = image.Rect(a.Min.X, a.Min.Y, a.Min.X+half, a.Min.Y+ui.Control)
	l.sources[1] = image.Rect(a.Max.X-half, a.Min.Y, a.Max.X, a.Min.Y+ui.Control)
	y := a.Min.Y + ui.Control + ui.Gap
	t := ui.Control
	var ids []string
	for _, in := range s.m.Inputs() {
		if (s.source == "digits") == (in.Label >= 0) {
			ids = append(ids, in.ID)
		}
	}
	for k, id := range ids {
		tx := a.Min.X + (k%fcThumbs)*(t+ui.Gap)
		ty := y + (k/fcThumbs)*(t+ui.Gap)
		l.thumbs = append(l.thumbs, fcThumb{id: id, r: image.Rect(tx, ty, tx+t, ty+t)})
	}
	y += 2*(t+ui.Gap) + ui.Gap
	l.picTitle = image.Rect(a.Min.X, y, a.Max.X, y+fcLine)
	y += fcLine + ui.Gap
	// The picture takes what the shift row leaves, up to 8 units a pixel.
	room := a.Max.Y - y - (ui.Gap + ui.Control + ui.Gap + fcLine)
	l.px = max(2, min(8, room/lesson.FCSide, a.Dx()/lesson.FCSide))
	side := l.px * lesson.FCSide
	l.pic = image.Rect(a.Min.X+(a.Dx()-side)/2, y, a.Min.X+(a.Dx()-side)/2+side, y+side)
	y = l.pic.Max.Y + ui.Gap
	x := a.Min.X
	for k := range l.shifts {
		w := ui.Control
		if k == 4 {
			w = a.Max.X - x
		}
		l.shifts[k] = image.Rect(x, y, x+w, y+ui.Control)
		x += w + ui.Gap
	}
	y += ui.Control + ui.U/2
	l.shiftTxt = image.Rect(a.Min.X, y, a.Max.X, y+fcLine)
}

// layoutStretch places the stretch tab: the three channels and the
// formula, the column lying down, 16 of its values up close, and the
// play button.
func (s *FCScreen) layoutStretch() {
	l := &s.lay
	b := l.main
	const gap = 2 * ui.U
	stripH := max(6*ui.U, l.touch)
	cell := b.Dx() / 16
	zoomH := min(cell, 6*ui.U)
	// Everything but the channels is fixed; they get 5 units a pixel, or
	// 4 on a short page.
	fixed := fcLine + gap + fcLine + stripH + fcLine + gap + fcLine + fcSmall + zoomH + gap + ui.Control
	p := min(5, (b.Dy()-fixed)/lesson.FCSide) * lesson.FCSide
	if spare := b.Dy() - fixed - p; spare > 0 {
		// A tall page (1024 x 768): a thicker column and taller cells.
		stripH += min(spare/2, 6*ui.U)
		zoomH = min(cell, zoomH+spare/4)
	}
	y := b.Min.Y
	for c := 0; c < 3; c++ {
		x := b.Min.X + c*(p+gap)
		l.planeTitles[c] = image.Rect(x, y, x+p, y+fcLine)
		l.planes[c] = image.Rect(x, y+fcLine, x+p, y+fcLine+p)
	}
	l.formula = image.Rect(l.planes[2].Max.X+fcColGap, y, b.Max.X, l.planes[2].Max.Y)
	y = l.planes[0].Max.Y + gap
	l.stripTitle = image.Rect(b.Min.X, y, b.Max.X, y+fcLine)
	y += fcLine
	l.strip = image.Rect(b.Min.X, y, b.Max.X, y+stripH)
	y = l.strip.Max.Y
	third := b.Dx() / 3
	for c := 0; c < 3; c++ {
		l.stripLabels[c] = image.Rect(b.Min.X+c*third, y, b.Min.X+(c+1)*third, y+fcLine)
	}
	y += fcLine + gap
	l.zoomTitle = image.Rect(b.Min.X, y, b.Max.X, y+fcLine)
	y += fcLine + fcSmall
	l.zoom = image.Rect(b.Min.X, y, b.Min.X+16*cell, y+zoomH)
	y = l.zoom.Max.Y + gap
	w := max(ui.ButtonWidth(fcStretchLabel(true)), ui.ButtonWidth(fcStretchLabel(false)))
	l.play = image.Rect(b.Min.X, y, b.Min.X+w, y+ui.Control)
	l.playNote = image.Rect(l.play.Max.X+2*ui.U, y, b.Max.X, y+ui.Control)
}

// layoutScores places the scores tab: x lying down above W's ten rows
// (each with its template button, bias and score) on the left, and the
// chosen row's template, products and written dot product on the right.
func (s *FCScreen) layoutScores() {
	l := &s.lay
	b := l.main
	const detailW = 48 * ui.U
	t := l.touch
	left := image.Rect(b.Min.X, b.Min.Y, b.Max.X-detailW-fcColGap, b.Max.Y)
	const bW, sW = 9 * ui.U, 10 * ui.U
	stripX := left.Min.X + t + ui.Gap
	stripW := left.Dx() - t - ui.Gap - bW - ui.Gap - sW - ui.Gap
	bx := stripX + stripW + ui.Gap
	sx := bx + bW + ui.Gap
	y := b.Min.Y
	l.wTitle = image.Rect(left.Min.X, y, stripX+stripW, y+fcLine)
	l.bTitle = image.Rect(bx, y, bx+bW, y+fcLine)
	l.sTitle = image.Rect(sx, y, left.Max.X, y+fcLine)
	y += fcLine
	l.xLabel = image.Rect(left.Min.X, y, stripX-ui.Gap, y+4*ui.U)
	l.xStrip = image.Rect(stripX, y, stripX+stripW, y+4*ui.U)
	y += 4*ui.U + ui.Gap
	// Rows a touch target high and 3 apart, more where there is room; on
	// a page too short for that (1280 x 720) they shrink to fit.
	room := (b.Max.Y - y) / lesson.FCClasses
	pitch := min(max(room, t+3), t+ui.U)
	if room < t+3 {
		pitch, t = room, room-3
	}
	for k := 0; k < lesson.FCClasses; k++ {
		ry := y + k*pitch
		l.rows = append(l.rows, fcRow{
			thumb: image.Rect(left.Min.X, ry, left.Min.X+t, ry+t),
			strip: image.Rect(stripX, ry, stripX+stripW, ry+t),
			b:     image.Rect(bx, ry, bx+bW, ry+t),
			s:     image.Rect(sx, ry, left.Max.X, ry+t),
		})
	}
	l.wxArea = image.Rect(stripX, l.xStrip.Min.Y, stripX+stripW, l.rows[len(l.rows)-1].strip.Max.Y)

	d := image.Rect(b.Max.X-detailW, b.Min.Y, b.Max.X, b.Max.Y)
	y = d.Min.Y
	l.rowTitle = image.Rect(d.Min.X, y, d.Max.X, y+fcLine)
	y += fcLine
	const p = 5 * lesson.FCSide
	l.tmplCap = image.Rect(d.Min.X, y, d.Min.X+p+ui.U, y+fcSmall+ui.U/2)
	l.contrCap = image.Rect(d.Max.X-p, y, d.Max.X, y+fcSmall+ui.U/2)
	y += fcSmall + ui.U
	l.template = image.Rect(d.Min.X, y, d.Min.X+p, y+p)
	l.contrib = image.Rect(d.Max.X-p, y, d.Max.X, y+p)
	y += p + ui.Gap
	l.dotText = image.Rect(d.Min.X, y, d.Max.X, b.Max.Y)
}

// layoutConv places the conv tab: the six filters to choose from, the
// shown filter's weights, the written dot product below them, and the
// filter's map with its play button on the right.
func (s *FCScreen) layoutConv() {
	l := &s.lay
	b := l.main
	t := max(ui.Control, l.touch)
	colW := min(17*ui.U, b.Dx()/lesson.FCFilters)
	y := b.Min.Y
	for f := 0; f < lesson.FCFilters; f++ {
		x := b.Min.X + f*colW
		l.filters = append(l.filters, fcFilter{
			thumb: image.Rect(x+(colW-t)/2, y, x+(colW-t)/2+t, y+t),
			name:  image.Rect(x, y+t+ui.U/2, x+colW-ui.U, y+t+ui.U/2+fcSmall+ui.U/2),
		})
	}
	y += t + ui.U + fcSmall + 2*ui.U
	const k = lesson.FCKernel
	// The weights' cells are 28 units, less on a short page, so that the
	// written dot product (seven lines) fits below them.
	textH := fcLine + 5*fcMath + ui.U + 3*paraLine(fcCap)
	cellFor := func(textH int) int { return min(28, (b.Max.Y-y-fcLine-ui.U-fcLine-ui.Gap-textH)/k) }
	l.cell, l.convNote = cellFor(textH), true
	if l.cell < 24 {
		// A short page: the note under the arithmetic gives way.
		l.cell, l.convNote = cellFor(fcLine+5*fcMath), false
	}
	gw := k * l.cell
	x := b.Min.X
	for c := 0; c < 3; c++ {
		l.gridTitles[c] = image.Rect(x, y, x+gw, y+fcLine)
		l.grids[c] = image.Rect(x, y+fcLine, x+gw, y+fcLine+gw)
		x += gw + 2*ui.U
	}
	by := l.grids[0].Min.Y + (k-1)/2*l.cell
	l.biasTitle = image.Rect(x, by-fcLine, x+10*ui.U, by)
	l.bias = image.Rect(x, by, x+l.cell, by+l.cell)
	weightsW := x + 10*ui.U - b.Min.X
	y = l.grids[0].Max.Y + ui.U
	l.filterNote = image.Rect(b.Min.X, y, b.Min.X+weightsW, y+fcLine)
	y += fcLine + ui.Gap
	mx := b.Min.X + weightsW + fcColGap + 2*ui.U
	l.convText = image.Rect(b.Min.X, y, mx-ui.Gap, b.Max.Y)

	my := l.gridTitles[0].Min.Y
	// The map takes 8 units a pixel, less on a short page, leaving room
	// for the play button and three lines of its note.
	side := min(8, (b.Max.Y-my-fcLine-2*ui.Gap-ui.Control-3*paraLine(fcCap))/lesson.FCMapSide) * lesson.FCMapSide
	l.mapTitle = image.Rect(mx, my, b.Max.X, my+fcLine)
	l.convMap = image.Rect(mx, my+fcLine, mx+side, my+fcLine+side)
	y = l.convMap.Max.Y + ui.Gap
	w := max(ui.ButtonWidth(fcSlideLabel(true)), ui.ButtonWidth(fcSlideLabel(false)))
	l.slide = image.Rect(mx, y, mx+w, y+ui.Control)
	y = l.slide.Max.Y + ui.Gap
	l.mapNote = image.Rect(mx, y, b.Max.X, b.Max.Y)
}

// layoutCompare places the compare tab: the fully connected layer's
// scores as bars on the left, the convolution's six maps on the right, a
// verdict under each, and nn's ledger of both at the bottom.
func (s *FCScreen) layoutCompare() {
	l := &s.lay
	b := l.main
	half := (b.Dx() - fcColGap) / 2
	left := image.Rect(b.Min.X, b.Min.Y, b.Min.X+half, b.Max.Y)
	right := image.Rect(b.Max.X-half, b.Min.Y, b.Max.X, b.Max.Y)
	y := b.Min.Y
	for i, col := range []image.Rectangle{left, right} {
		head := [2]image.Rectangle{
			image.Rect(col.Min.X, y, col.Max.X, y+fcLine),
			image.Rect(col.Min.X, y+fcLine, col.Max.X, y+fcLine+fcLine),
		}
		if i == 0 {
			l.fcHead = head
		} else {
			l.cvHead = head
		}
	}
	y += 2*fcLine + ui.Gap
	const labelW, valueW = 3 * ui.U, 23 * ui.U
	verdictH := 4 * paraLine(fcCap)
	ledgerH := 3*fcLine + ui.U
	barH := min(28, (b.Max.Y-y-ui.Gap-verdictH-ui.Gap-ledgerH)/lesson.FCClasses)
	for k := 0; k < lesson.FCClasses; k++ {
		ry := y + k*barH
		l.barLabels = append(l.barLabels, image.Rect(left.Min.X, ry, left.Min.X+labelW, ry+barH))
		l.bars = append(l.bars, image.Rect(left.Min.X+labelW, ry+3, left.Max.X-valueW-ui.U, ry+barH-3))
		l.barValues = append(l.barValues, image.Rect(left.Max.X-valueW, ry, left.Max.X, ry+barH))
	}
	fcEnd := y + lesson.FCClasses*barH
	const cols = 3
	const gap = 2 * ui.U
	side := min(14*ui.U, (right.Dx()-(cols-1)*gap)/cols, (lesson.FCClasses*barH-gap)/2-fcSmall-ui.U)
	for f := 0; f < lesson.FCFilters; f++ {
		x := right.Min.X + (f%cols)*(side+gap)
		my := y + (f/cols)*(side+fcSmall+ui.U+gap)
		l.maps = append(l.maps, image.Rect(x, my, x+side, my+side))
		l.mapNames = append(l.mapNames, image.Rect(x, my+side+ui.U/2, x+side+gap, my+side+ui.U/2+fcSmall))
	}
	cvEnd := y + 2*(side+fcSmall+ui.U+gap) - gap
	y = max(fcEnd, cvEnd) + ui.Gap
	l.fcVerdict = image.Rect(left.Min.X, y, left.Max.X, y+verdictH)
	l.cvVerdict = image.Rect(right.Min.X, y, right.Max.X, y+verdictH)
	y += verdictH + ui.Gap
	l.ledger = image.Rect(b.Min.X, y, b.Max.X, min(b.Max.Y, y+ledgerH))
}
