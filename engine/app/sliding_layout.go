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

// Sizes of the sliding-filter screen, in layout units.
const (
	slidingMaxCell = 64       // largest grid cell
	slidingMinCell = 12       // smallest grid cell, for the largest shapes on the smallest pages
	slidingGap     = 3 * ui.U // between grids
	slidingTitleH  = 3 * ui.U // a grid's title above it
	slidingLineH   = 3 * ui.U // a line of the arithmetic and the formula
	slidingStatusH = 3 * ui.U // the page's status line at the bottom of the content
	slidingCaption = 7 * ui.U // two lines of caption
	slidingFixCols = 2        // fix buttons per row
	slidingIndexW  = 2 * ui.U // row and column numbers beside a grid
)

// slidingLayout is where everything goes, in layout units.
type slidingLayout struct {
	cell       int
	caption    image.Rectangle
	inputs     []image.Rectangle   // (Cin) padded grids
	inTitles   []image.Rectangle   // (Cin)
	weights    [][]image.Rectangle // (Cout, Cin) filter grids
	wTitles    []image.Rectangle   // (Cout)
	biases     []image.Rectangle   // (Cout) one cell each
	biasTitles []image.Rectangle   // (Cout)
	outputs    []image.Rectangle   // (Cout) output maps
	outTitles  []image.Rectangle   // (Cout)
	arith      image.Rectangle     // the written dot product
	formula    image.Rectangle     // the output size formula and shapes
	noOutput   image.Rectangle     // why there is no output
	fixes      []image.Rectangle   // one button per fix
	stepsRow   image.Rectangle
	drawer     image.Rectangle
	controls   []ui.Widget     // step row and drawer, in tab order
	labels     []SlidingText   // canvas text beside the controls
	verdict    image.Rectangle // check tab: where the verdict on a prediction goes
}

// layout places everything for the model's current shape in s.r.
func (s *SlidingScreen) layout() {
	r := s.r
	l := slidingLayout{}
	bottom := r.Max.Y - slidingStatusH
	l.stepsRow = image.Rect(r.Min.X, bottom-ui.Control, r.Max.X, bottom)
	top := l.stepsRow.Min.Y
	if s.tab != "" {
		l.drawer = image.Rect(r.Min.X, top-ui.Gap-ui.Control, r.Max.X, top-ui.Gap)
		top = l.drawer.Min.Y
	}
	l.caption = image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+slidingCaption)
	band := image.Rect(r.Min.X, l.caption.Max.Y+ui.Gap, r.Max.X, top-2*ui.Gap)
	place := s.placeSingle
	if s.m.ChannelsMode() {
		place = s.placeChannels
	}
	c := slidingMaxCell
	for ; c > slidingMinCell; c -= ui.U / 2 {
		if w, h := place(nil, band, c); w <= band.Dx() && h <= band.Dy() {
			break
		}
	}
	l.cell = c
	place(&l, band, c)
	s.lay = l
	s.placeControls()
}

// outSize returns the output size, 0 when the shape has none.
func outSize(m *lesson.Sliding) int {
	h, err := m.OutputSize()
	if err != nil {
		return 0
	}
	return h
}

// arithWidth is the least width of the written dot product for a k x k
// filter: a row of k products.
func arithWidth(k int) int { return max(30*ui.U, 9*ui.U*k) }

// noOutputHeight is the height of the explanation of a shape with no
// output and its fix buttons.
func noOutputHeight(fixes int) int {
	rows := (fixes + slidingFixCols - 1) / slidingFixCols
	return 5*slidingLineH + rows*(ui.Control+ui.Gap)
}

const (
	slidingFormulaW  = 35 * ui.U // least width of the formula under the output
	slidingNoOutputW = 50 * ui.U // width of the no-output explanation
)

// placeSingle lays out one channel and one filter at cell size c, left to
// right as the lecture draws it: the padded input, the filter with its
// bias and the arithmetic below, the output with the formula below. The
// input and output have their row and column numbers beside them. With l
// nil it only measures; it returns the width and height used.
func (s *SlidingScreen) placeSingle(l *slidingLayout, band image.Rectangle, c int) (w, h int) {
	m := s.m
	const ix = slidingIndexW
	pn, k, ho := m.PaddedSize(), m.Kernel(), outSize(m)
	inW, filtW, outW := pn*c, k*c, ho*c
	top := slidingTitleH + ix // from the titles to the grids
	colW := max(filtW+2*ui.U+c, arithWidth(k))
	outColW := ix + max(outW, slidingFormulaW)
	outColH := top + outW + 2*ui.U + 3*slidingLineH
	if ho == 0 {
		outColW = slidingNoOutputW
		outColH = slidingTitleH + noOutputHeight(len(m.Fixes()))
	}
	w = ix + inW + slidingGap + colW + slidingGap + outColW
	filtColH := top + filtW + 2*ui.U + (k+3)*slidingLineH
	if k == 1 {
		filtColH += ui.U + slidingTitleH + c
	}
	h = max(top+inW, filtColH, outColH)
	if l == nil {
		return w, h
	}
	x, y := band.Min.X+(band.Dx()-w)/2, band.Min.Y
	l.inTitles = []image.Rectangle{image.Rect(x, y, x+ix+inW, y+slidingTitleH)}
	l.inputs = []image.Rectangle{image.Rect(x+ix, y+top, x+ix+inW, y+top+inW)}
	x += ix + inW + slidingGap
	wy := y + top
	l.wTitles = []image.Rectangle{image.Rect(x, y, x+filtW+2*ui.U, y+slidingTitleH)}
	l.weights = [][]image.Rectangle{{image.Rect(x, wy, x+filtW, wy+filtW)}}
	bx, by := x+filtW+2*ui.U, wy+(k-1)/2*c
	arithY := wy + filtW + 2*ui.U
	if k == 1 {
		// A 1x1 filter leaves no room for titles side by side: the bias
		// goes below it, and the filter's title spans the column.
		l.wTitles[0].Max.X = x + colW
		bx, by = x, wy+c+ui.U+slidingTitleH
		arithY = by + c + 2*ui.U
	}
	l.biases = []image.Rectangle{image.Rect(bx, by, bx+c, by+c)}
	l.biasTitles = []image.Rectangle{image.Rect(bx, by-slidingTitleH, x+colW, by)}
	l.arith = image.Rect(x, arithY, x+colW, y+h)
	x += colW + slidingGap
	l.outTitles = []image.Rectangle{image.Rect(x, y, x+outColW, y+slidingTitleH)}
	if ho == 0 {
		s.placeNoOutput(l, image.Rect(x, y+slidingTitleH, x+outColW, y+h))
		l.formula = image.Rectangle{}
		return w, h
	}
	l.outputs = []image.Rectangle{image.Rect(x+ix, wy, x+ix+outW, wy+outW)}
	l.formula = image.Rect(x+ix, wy+outW+2*ui.U, x+outColW, wy+outW+2*ui.U+3*slidingLineH)
	return w, h
}

// placeChannels lays out the channels mode at cell size c: the three
// padded input channels side by side with the arithmetic beside them, and
// below, the two filters (one row of three channel slices and a bias each),
// the two output maps and the shapes.
func (s *SlidingScreen) placeChannels(l *slidingLayout, band image.Rectangle, c int) (w, h int) {
	m := s.m
	cin, cout := m.Channels(), m.Filters()
	pn, k, ho := m.PaddedSize(), m.Kernel(), outSize(m)
	inW, filtW, outW := pn*c, k*c, ho*c
	arithW := 32 * ui.U
	topW := cin*inW + (cin-1)*ui.Gap*2 + slidingGap + arithW
	topH := max(slidingTitleH+inW, 6*slidingLineH)
	filtersW := cin*filtW + (cin-1)*ui.U + 2*ui.U + max(c, 4*ui.U)
	filtersH := cout*(slidingTitleH+filtW) + (cout-1)*ui.U
	mapsW := cout*max(outW, 10*ui.U) + (cout-1)*slidingGap
	mapsH := slidingTitleH + outW
	formulaW := slidingFormulaW
	if ho == 0 {
		mapsW, mapsH = slidingNoOutputW, slidingTitleH+noOutputHeight(len(m.Fixes()))
	}
	bottomW := filtersW + slidingGap + mapsW + slidingGap + formulaW
	bottomH := max(filtersH, mapsH, 5*slidingLineH)
	w, h = max(topW, bottomW), topH+slidingGap+bottomH
	if l == nil {
		return w, h
	}
	x0, y := band.Min.X+(band.Dx()-w)/2, band.Min.Y
	x := x0
	for ch := 0; ch < cin; ch++ {
		l.inTitles = append(l.inTitles, image.Rect(x, y, x+inW, y+slidingTitleH))
		l.inputs = append(l.inputs, image.Rect(x, y+slidingTitleH, x+inW, y+slidingTitleH+inW))
		x += inW + 2*ui.Gap
	}
	x += slidingGap - 2*ui.Gap
	l.arith = image.Rect(x, y, max(x0+w, band.Max.X), y+topH)
	y += topH + slidingGap
	x = x0
	for o := 0; o < cout; o++ {
		fy := y + o*(slidingTitleH+filtW+ui.U)
		l.wTitles = append(l.wTitles, image.Rect(x, fy, x+cin*filtW+(cin-1)*ui.U, fy+slidingTitleH))
		var row []image.Rectangle
		for ch := 0; ch < cin; ch++ {
			gx := x + ch*(filtW+ui.U)
			row = append(row, image.Rect(gx, fy+slidingTitleH, gx+filtW, fy+slidingTitleH+filtW))
		}
		l.weights = append(l.weights, row)
		bx := x + cin*filtW + (cin-1)*ui.U + 2*ui.U
		by := fy + slidingTitleH + (k-1)/2*c
		l.biases = append(l.biases, image.Rect(bx, by, bx+c, by+c))
		l.biasTitles = append(l.biasTitles, image.Rect(bx, by-slidingTitleH, x+filtersW, by))
	}
	x += filtersW + slidingGap
	if ho == 0 {
		s.placeNoOutput(l, image.Rect(x, y+slidingTitleH, x+mapsW, y+bottomH))
		l.outTitles = []image.Rectangle{image.Rect(x, y, x+mapsW, y+slidingTitleH)}
	} else {
		for o := 0; o < cout; o++ {
			l.outTitles = append(l.outTitles, image.Rect(x, y, x+max(outW, 10*ui.U), y+slidingTitleH))
			l.outputs = append(l.outputs, image.Rect(x, y+slidingTitleH, x+outW, y+slidingTitleH+outW))
			x += max(outW, 10*ui.U) + slidingGap
		}
		x -= slidingGap
	}
	if ho == 0 {
		x += mapsW
	}
	x += slidingGap
	l.formula = image.Rect(x, y, x0+w, y+bottomH)
	return w, h
}

// placeNoOutput places the explanation of a shape with no output and its
// fix buttons in r.
func (s *SlidingScreen) placeNoOutput(l *slidingLayout, r image.Rectangle) {
	l.noOutput = image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+5*slidingLineH)
	fw := (r.Dx() - (slidingFixCols-1)*ui.Gap) / slidingFixCols
	for i := range s.m.Fixes() {
		x := r.Min.X + (i%slidingFixCols)*(fw+ui.Gap)
		y := l.noOutput.Max.Y + (i/slidingFixCols)*(ui.Control+ui.Gap)
		l.fixes = append(l.fixes, image.Rect(x, y, x+fw, y+ui.Control))
	}
}

// placeControls lays out the step row (step controls, tabs, channels) and
// the open tab's controls in the drawer above it.
func (s *SlidingScreen) placeControls() {
	m, l := s.m, &s.lay
	y := l.stepsRow.Min.Y
	x := l.stepsRow.Min.X
	add := func(w ui.Widget, width int) {
		w.Rect = image.Rect(x, y, x+width, y+ui.Control)
		l.controls = append(l.controls, w)
		x += width + ui.Gap
	}
	label := func(text string, width int) {
		l.labels = append(l.labels, SlidingText{Rect: image.Rect(x, y, x+width, y+ui.Control),
			Lines: []string{text}, Size: ui.SmallText, Role: TextNote, Middle: true})
		x += width + ui.Gap
	}
	playLabel := "Play"
	if m.Playing() {
		playLabel = "Pause"
	}
	stepButtons := []ui.Widget{
		{Name: "back", Kind: ui.Button, Group: "sf-btn", Label: "◀ Back", Tooltip: "Step back one output cell (← or PageUp)."},
		{Name: "step", Kind: ui.Button, Group: "sf-btn sf-step", Label: "Step ▶", Tooltip: "Move the filter to the next output cell (→, space or PageDown)."},
		{Name: "play", Kind: ui.Toggle, Group: "sf-on", Label: playLabel, On: m.Playing(), Tooltip: "Step by itself at the speed set beside."},
		{Name: "reset", Kind: ui.Button, Group: "sf-btn", Label: "Reset", Tooltip: "Clear the output and put the filter back before the first cell."},
	}
	widths := []int{ui.ButtonWidth("◀ Back"), ui.ButtonWidth("Step ▶"), ui.ButtonWidth("Pause"), ui.ButtonWidth("Reset")}
	// The speed slider takes what the buttons and tabs leave.
	fixed, tabsW := 0, 0
	for _, w := range widths {
		fixed += w + ui.Gap
	}
	for _, t := range SlidingTabs {
		tabsW += ui.ButtonWidth(tabLabel(t)) + ui.Gap
	}
	chW := ui.ButtonWidth("3 channels")
	speedLabelW := 10 * ui.U
	sliderW := l.stepsRow.Dx() - fixed - tabsW - chW - speedLabelW - ui.Gap - 3*2*ui.U
	sliderW = max(12*ui.U, min(22*ui.U, sliderW))
	for i, w := range stepButtons {
		add(w, widths[i])
	}
	x += 2*ui.U - ui.Gap
	add(ui.Widget{Name: "speed", Kind: ui.Slider, Label: "Play speed, steps a second", Value: math.Log2(m.Speed()),
		Min: math.Log2(lesson.MinPlaySpeed), Max: 4.9, Step: 0.1, Tooltip: "How fast Play steps."}, sliderW)
	label(lesson.FormatNumber(float32(roundTo(m.Speed(), 2)))+" steps/s", speedLabelW)
	x = l.stepsRow.Max.X - chW - 2*ui.U - tabsW + ui.Gap
	for _, t := range SlidingTabs {
		add(ui.Widget{Name: "tab-" + t, Kind: ui.Choice, Group: "sf-tab sf-on", Label: tabLabel(t), On: s.tab == t,
			Tooltip: tabTip(t)}, ui.ButtonWidth(tabLabel(t)))
	}
	x = l.stepsRow.Max.X - chW
	add(ui.Widget{Name: "channels", Kind: ui.Toggle, Group: "sf-on", Label: "3 channels", On: m.ChannelsMode(),
		Tooltip: "Three input channels and two 3-channel filters, giving two activation maps (slides 14–22)."}, chW)

	if s.tab == "" {
		return
	}
	y, x = l.drawer.Min.Y, l.drawer.Min.X
	hint := func(text string) {
		if x+20*ui.U > l.drawer.Max.X {
			return
		}
		l.labels = append(l.labels, SlidingText{Rect: image.Rect(x+ui.U, y, l.drawer.Max.X, y+ui.Control),
			Lines: []string{text}, Size: ui.SmallText, Role: TextNote, Wrap: true, Middle: true})
	}
	switch s.tab {
	case "filter":
		label("Presets", 9*ui.U)
		if m.ChannelsMode() {
			for o := 0; o < m.Filters(); o++ {
				lbl := "Filter " + strconv.Itoa(o)
				add(ui.Widget{Name: "edit-filter-" + strconv.Itoa(o), Kind: ui.Choice, Group: "sf-edit sf-on", Label: lbl,
					On: s.edit == o, Tooltip: "The presets replace " + strings.ToLower(lbl) + " on all three channels."}, ui.ButtonWidth(lbl))
			}
			x += 2 * ui.U
		}
		for _, p := range lesson.KernelPresets {
			add(ui.Widget{Name: "preset-" + targetForm(p), Kind: ui.Button, Group: "sf-btn", Label: capitalize(p),
				Tooltip: presetTip(p)}, ui.ButtonWidth(capitalize(p)))
		}
		hint("Click a weight or the bias to type; drag it up or down, or turn the wheel: ±0.1.")
	case "input":
		label("Patterns", 10*ui.U)
		for _, p := range lesson.InputPatterns {
			add(ui.Widget{Name: "pattern-" + targetForm(p), Kind: ui.Button, Group: "sf-btn", Label: capitalize(p),
				Tooltip: "Fill the input with the " + p + " pattern."}, ui.ButtonWidth(capitalize(p)))
		}
		hint("Click an input to type and see the outputs it feeds; drag or wheel: ±1.")
	case "shape":
		for i, set := range slidingSettings {
			if i > 0 {
				x += 2 * ui.U
			}
			label(set.title, ui.TextWidth(set.title, ui.SmallText)+ui.U)
			for _, v := range set.values {
				add(ui.Widget{Name: set.name + "-" + strconv.Itoa(v), Kind: ui.Choice, Group: "sf-" + set.name + " sf-on",
					Label: strconv.Itoa(v), On: settingValue(m, set.name) == v, Tooltip: settingTip(set.name, v)}, ui.Control)
			}
		}
	case "check":
		add(ui.Widget{Name: "predict-mode", Kind: ui.Toggle, Group: "sf-on", Label: "Predict each value", On: m.PredictMode(),
			Tooltip: "Each step waits for your prediction of the value before showing it."}, ui.ButtonWidth("Predict each value"))
		x += ui.U
		label("Next value", ui.TextWidth("Next value", ui.SmallText)+ui.U)
		add(ui.Widget{Name: "predict", Kind: ui.Field, Label: "Your prediction of the next output value", Text: s.predictText,
			Error: isErrorFor(m, "predict"), Tooltip: "Type the value the next step will give, then Enter."}, 14*ui.U)
		x += 2 * ui.U
		label("Output size", ui.TextWidth("Output size", ui.SmallText)+ui.U)
		add(ui.Widget{Name: "predict-size", Kind: ui.Field, Label: "Your prediction of the output size", Text: s.sizeText,
			Error: isErrorFor(m, "predict-size"), Tooltip: "Type the output size of this shape (e.g. 5, or none), then Enter."}, 14*ui.U)
		l.verdict = image.Rect(x+ui.U, y, l.drawer.Max.X, y+ui.Control)
	}
}

func isErrorFor(m *lesson.Sliding, target string) bool {
	msg := m.LastMessage()
	return msg.Error && msg.Target == target
}

func tabLabel(t string) string {
	if t == "check" {
		return "Check"
	}
	return tabTitle(t)
}

func tabTip(t string) string {
	switch t {
	case "filter":
		return "Filter presets: identity, blur, sharpen, edge detectors, random."
	case "input":
		return "Input patterns: a digit, edges, a checkerboard, random, clear."
	case "shape":
		return "Padding, stride, kernel size and input size (slides 30–37)."
	}
	return "Check yourself: predict the next value or the output size."
}

func presetTip(p string) string {
	switch p {
	case "identity":
		return "Identity: the output copies the input."
	case "box blur":
		return "Box blur: the average of the window."
	case "sharpen":
		return "Sharpen: the centre against its neighbours."
	case "sobel x":
		return "Sobel x: a vertical-edge detector."
	case "sobel y":
		return "Sobel y: a horizontal-edge detector."
	case "laplacian":
		return "Laplacian: responds to spots and outlines."
	}
	return "Random weights between −1 and 1."
}

func settingTip(name string, v int) string {
	switch name {
	case "padding":
		if v == 0 {
			return "No padding: the output shrinks (W − K + 1)."
		}
		return fmt.Sprintf("%d ring(s) of zeros around the input.", v)
	case "stride":
		return fmt.Sprintf("The filter moves %d cell(s) at a time.", v)
	case "kernel":
		return fmt.Sprintf("A %dx%d filter.", v, v)
	}
	return fmt.Sprintf("A %dx%d input.", v, v)
}
