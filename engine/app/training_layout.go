package app

import (
	"image"
	"strconv"
	"strings"

	"convlab/engine/data"
	"convlab/engine/lesson"
	"convlab/engine/train"
	"convlab/engine/ui"
)

// Sizes of the training screen, in layout units.
const (
	trainStatus   = 6 * ui.U  // kept free at the bottom for the page's status line (two lines)
	trainLine     = 3 * ui.U  // one line of body text
	trainSmallH   = 3 * ui.U  // one line of small text
	trainColGap   = 4 * ui.U  // between columns
	trainCtlW     = 46 * ui.U // the controls column
	trainBand     = 10 * ui.U // the divergence band
	trainStatsW   = 28 * ui.U // the figures at the end of the top row
	trainFieldGap = 2 * ui.U
)

// trainLayout is where everything of the screen goes, in layout units.
type trainLayout struct {
	top    image.Rectangle // the top row: transport, tabs, figures
	stats  image.Rectangle // the figures at the end of the top row
	band   image.Rectangle // the divergence band; empty when training has not diverged
	bandTx image.Rectangle // its words
	// bandSize is the text size of the band's words.
	bandSize float64
	body     image.Rectangle // the tab's area

	labels []trainLabel // words above or beside controls

	// train tab
	filters   trainGrid       // the filters drawn large
	filtTitle image.Rectangle // their title
	lapseText image.Rectangle // which moment of the time-lapse is shown
	legend    image.Rectangle // how to read the colours
	readout   image.Rectangle // the big figures
	lossPlot  trainPlotBox
	accPlot   trainPlotBox

	// network tab
	archText image.Rectangle // what changing the architecture does
	ledger   image.Rectangle // the ledger table
	ledgerX  []int           // the ledger's column edges
	// ledgerText is the text size of the ledger's cells but the heads.
	ledgerText float64

	// inside tab and try tab
	example    image.Rectangle // the chosen test example (inside) or the pad (try)
	exText     image.Rectangle // words under it
	exBars     image.Rectangle // its top-3 bars
	layerCols  []trainLayerCol // one per layer
	maps       image.Rectangle // try tab: where the drawing's maps go
	guessBoxes []trainGuessBox // try tab: each net's answer

	// results tab
	gallery     []trainGalleryItem
	galleryHead image.Rectangle
	mistakes    []trainMistakeSlot
	mistakeHead image.Rectangle
	confusion   image.Rectangle // the K x K cells
	confHead    image.Rectangle
	confCell    int

	// compare tab
	panels  [3]trainPanel // linear, mlp, conv
	cmpPlot trainPlotBox
}

// trainLabel is a word or two written beside controls.
type trainLabel struct {
	text string
	r    image.Rectangle
}

// trainGrid is a grid of equal cells, row-major.
type trainGrid struct {
	cells []image.Rectangle
	cell  int
}

// trainPlotBox is a plot's title, its frame and its axis labels' room.
type trainPlotBox struct {
	title image.Rectangle
	frame image.Rectangle
}

// trainLayerCol is one layer's maps: a title, its shape, and the mosaic.
type trainLayerCol struct {
	layer  int // index into the maps' layers
	title  image.Rectangle
	shape  image.Rectangle
	mosaic image.Rectangle
	cols   int  // maps in a row of the mosaic
	bars   bool // a vector (the class scores), drawn as bars
}

// trainGuessBox is one net's answer to the drawing.
type trainGuessBox struct {
	title image.Rectangle
	bars  image.Rectangle
}

// trainGalleryItem is one test example of the gallery.
type trainGalleryItem struct {
	name  string
	index int // into the gallery's items
	r     image.Rectangle
	thumb image.Rectangle
	bars  image.Rectangle
}

// trainMistakeSlot is the place of one of the latest mistakes: the
// picture, square, centred above its caption "true→answer".
type trainMistakeSlot struct {
	thumb   image.Rectangle
	caption image.Rectangle
}

// trainPanel is one model on the compare tab.
type trainPanel struct {
	model string
	title image.Rectangle
	text  image.Rectangle
	grid  trainGrid
	names []image.Rectangle // the class or unit under each template
}

// layout works out where everything goes and makes the widgets.
func (s *TrainingScreen) layout() {
	l := trainLayout{}
	s.widgets = s.widgets[:0]
	r := s.r
	l.top = image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+ui.Control)
	s.layoutTop(&l)
	y := l.top.Max.Y + 2*ui.U
	if d := s.view.Diverged; d != nil {
		bw := 0
		if d.Fix != nil {
			bw = max(ui.ButtonWidth(trainFixLabel(d)), 30*ui.U) + 2*ui.U
		}
		// As tall as the message needs, at least trainBand.
		tw := r.Dx() - 2*ui.U - bw - ui.U - 2*ui.U
		// The message in body text if two lines hold it, else smaller.
		l.bandSize = trainBody
		lines := len(wrapText(trainStopped(d), tw, trainBody, FontRegular))
		if lines > 2 {
			l.bandSize = trainCap
			lines = len(wrapText(trainStopped(d), tw, trainCap, FontRegular))
		}
		bh := max(trainBand, lines*paraLine(l.bandSize)+2*ui.U)
		l.band = image.Rect(r.Min.X, y, r.Max.X, y+bh)
		if d.Fix != nil {
			label := trainFixLabel(d)
			bw = max(ui.ButtonWidth(label), 30*ui.U)
			by := l.band.Min.Y + (bh-ui.Control)/2
			b := image.Rect(l.band.Max.X-ui.U-bw, by, l.band.Max.X-ui.U, by+ui.Control)
			s.add(ui.Widget{Name: "fix-lr", Kind: ui.Button, Rect: b, Label: label, Group: "tr-fix",
				Tooltip: "Go on from the restored weights with " + d.FixText + "."})
			bw += 2 * ui.U
		}
		l.bandTx = image.Rect(l.band.Min.X+2*ui.U, l.band.Min.Y, l.band.Max.X-bw-ui.U, l.band.Max.Y)
		y = l.band.Max.Y + 2*ui.U
	}
	l.body = image.Rect(r.Min.X, y, r.Max.X, r.Max.Y-trainStatus)
	switch s.tab {
	case "network":
		s.layoutNetwork(&l)
	case "inside":
		s.layoutInside(&l)
	case "results":
		s.layoutResults(&l)
	case "compare":
		s.layoutCompare(&l)
	case "try":
		s.layoutTry(&l)
	default:
		s.layoutTrain(&l)
	}
	s.lay = l
}

// add appends a widget.
func (s *TrainingScreen) add(w ui.Widget) { s.widgets = append(s.widgets, w) }

// trainFixLabel is the fix button's words: "Try learning rate 100".
func trainFixLabel(d *lesson.TrainDivergence) string {
	if d.Fix == nil {
		return ""
	}
	return "Try " + trainFixWhat(d)
}

// trainFixWhat names the offered change's new value: "learning rate 100".
func trainFixWhat(d *lesson.TrainDivergence) string {
	if strings.HasPrefix(d.FixText, "learning rate") {
		return "learning rate " + lesson.FormatNumber(d.Fix.LR)
	}
	return "weight decay " + lesson.FormatNumber(d.Fix.Decay)
}

// layoutTop places play, step, reset, the tabs and the figures.
func (s *TrainingScreen) layoutTop(l *trainLayout) {
	x, y := l.top.Min.X, l.top.Min.Y
	play := "▶ Play"
	if s.running {
		play = "❚❚ Pause"
	}
	for _, b := range []ui.Widget{
		{Name: "play", Kind: ui.Toggle, Label: play, On: s.running, Group: "tr-play",
			Tooltip: "Train continuously, or pause. Training runs beside the page and never freezes it."},
		{Name: "step-once", Kind: ui.Button, Label: "Step", Group: "tr-btn",
			Tooltip: "Pause, then train on one minibatch and show what changed."},
		{Name: "reset", Kind: ui.Button, Label: "Reset", Group: "tr-btn",
			Tooltip: "Pause and start every model afresh from the seed."},
	} {
		b.Rect = image.Rect(x, y, x+max(ui.ButtonWidth(b.Label), 11*ui.U), y+ui.Control)
		s.add(b)
		x = b.Rect.Max.X + ui.Gap
	}
	x += 2 * ui.U
	for _, t := range TrainingTabs {
		label := trainingTabLabels[t]
		w := max(ui.ButtonWidth(label), 11*ui.U)
		s.add(ui.Widget{Name: "tab-" + t, Kind: ui.Choice, Group: "tr-tab", Label: label, On: s.tab == t,
			Rect: image.Rect(x, y, x+w, y+ui.Control), Tooltip: trainTabWords(t)})
		x += w + ui.Gap
	}
	l.stats = image.Rect(max(x+ui.U, l.top.Max.X-trainStatsW), y, l.top.Max.X, y+ui.Control)
}

// field adds a typed-number field under a label. The field shows the
// refused text while it is refused.
func (s *TrainingScreen) field(l *trainLayout, name, label, tip string, value string, r image.Rectangle, disabled bool) {
	l.labels = append(l.labels, trainLabel{text: label, r: image.Rect(r.Min.X, r.Min.Y-trainSmallH, r.Max.X, r.Min.Y)})
	s.addField(ui.Widget{Name: name, Rect: r, Label: label, Tooltip: tip, Text: value, Disabled: disabled})
}

// addField adds a typed-number field, showing the refused text while it
// is refused.
func (s *TrainingScreen) addField(w ui.Widget) {
	w.Kind, w.Group = ui.Field, "tr-field"
	if s.errField == w.Name {
		w.Text, w.Error = s.errText, true
	}
	s.add(w)
}

// choices adds a row of choices under a label, the chosen one on.
func (s *TrainingScreen) choices(l *trainLayout, label string, x, y, w int, opts []trainOption, chosen string) int {
	l.labels = append(l.labels, trainLabel{text: label, r: image.Rect(x, y, x+w, y+trainSmallH)})
	y += trainSmallH
	n := len(opts)
	cw := (w - (n-1)*ui.Gap) / n
	for i, o := range opts {
		cx := x + i*(cw+ui.Gap)
		s.add(ui.Widget{Name: o.name, Kind: ui.Choice, Group: o.group, Label: o.label, On: o.value == chosen,
			Tooltip: o.tip, Rect: image.Rect(cx, y, cx+cw, y+ui.Control)})
	}
	return y + ui.Control + 2*ui.U
}

// trainOption is one choice of a row.
type trainOption struct {
	name, label, value, group, tip string
}

// layoutTrain lays out the train tab: controls, filters, curves.
func (s *TrainingScreen) layoutTrain(l *trainLayout) {
	b := l.body
	st := s.settings
	h := st.Hyper
	x, y := b.Min.X, b.Min.Y
	w := trainCtlW
	y = s.choices(l, "Data", x, y, w, []trainOption{
		{name: "data-mnist", label: "MNIST digits", value: lesson.TrainMNIST, group: "tr-data",
			tip: "Handwritten digits 0–9, 28 x 28 grey, cropped to 24 x 24."},
		{name: "data-colour", label: "Colour patterns", value: lesson.TrainColour, group: "tr-data",
			tip: "Oriented stripes and edges and colour-opponent patterns, 32 x 32 colour, cropped to 24 x 24: the filters learn edges and opposing colours."},
	}, st.Data)
	y = s.choices(l, "Optimizer", x, y, w, []trainOption{
		{name: "opt-sgd", label: "SGD", value: train.SGD, group: "tr-opt", tip: "Stochastic gradient descent with momentum: steps of learning rate x gradient."},
		{name: "opt-adam", label: "Adam", value: train.Adam, group: "tr-opt", tip: "Adam: steps scaled by running averages of the gradient and its square."},
		{name: "opt-adadelta", label: "Adadelta", value: train.Adadelta, group: "tr-opt", tip: "Adadelta: adapts its own step sizes, so it has no learning rate."},
	}, h.Optimizer)
	fw := (w - 2*trainFieldGap) / 3
	y += trainSmallH
	row := ui.Row(x, y, ui.Control, trainFieldGap, fw, fw, fw)
	lrTip := "The learning rate: how far each step moves the weights. Too large and training diverges."
	if h.Optimizer == train.Adadelta {
		lrTip = "Adadelta adapts its own step sizes and has no learning rate: choose SGD or Adam to set one."
	}
	s.field(l, "lr", "Learning rate", lrTip, lesson.FormatNumber(h.LR), row[0], h.Optimizer == train.Adadelta)
	s.field(l, "momentum", "Momentum", "SGD's momentum, 0 to below 1: how much of the last step each step keeps.",
		lesson.FormatNumber(h.Momentum), row[1], h.Optimizer != train.SGD)
	s.field(l, "decay", "Weight decay", "L2 weight decay, 0 to 1: pulls every weight towards zero a little each step.",
		lesson.FormatNumber(h.Decay), row[2], false)
	y += ui.Control + 2*ui.U + trainSmallH
	row = ui.Row(x, y, ui.Control, trainFieldGap, fw, fw, fw)
	s.field(l, "batch", "Batch size", "Examples per step, 1 to "+strconv.Itoa(lesson.TrainMaxBatch)+".",
		strconv.Itoa(h.Batch), row[0], false)
	s.field(l, "seed", "Seed", "Seeds the initial weights and the order of the examples. "+trainRestartWords,
		strconv.FormatInt(h.Seed, 10), row[1], false)
	y += ui.Control + 2*ui.U
	s.add(ui.Widget{Name: "load-pretrained", Kind: ui.Button, Label: "Load pretrained weights", Group: "tr-btn",
		Rect:    image.Rect(x, y, x+w, y+ui.Control),
		Tooltip: "Pause and load the conv net trained for 40 passes (go run ./engine/cmd/pretrain) to compare with the live one."})

	// The filters, as large as the middle column allows, with the
	// time-lapse right under them.
	right := 50 * ui.U
	mid := image.Rect(x+w+trainColGap, b.Min.Y, b.Max.X-right-trainColGap, b.Max.Y)
	l.filtTitle = image.Rect(mid.Min.X, mid.Min.Y, mid.Max.X, mid.Min.Y+trainLine)
	below := 2*trainSmallH + ui.U + ui.Control
	area := image.Rect(mid.Min.X, l.filtTitle.Max.Y+ui.U, mid.Max.X, mid.Max.Y-below-ui.U)
	n := st.Arch.Filters
	if f := s.view.Filters; f != nil && f.Shape[0] > 0 {
		n = f.Shape[0]
	}
	l.filters = trainFitGrid(area, n, ui.U)
	y = area.Min.Y
	if len(l.filters.cells) > 0 {
		y = l.filters.cells[len(l.filters.cells)-1].Max.Y
	}
	y += ui.U
	l.legend = image.Rect(mid.Min.X, y, mid.Max.X, y+trainSmallH)
	l.lapseText = image.Rect(mid.Min.X, y+trainSmallH, mid.Max.X, y+2*trainSmallH)
	lapseY := y + 2*trainSmallH + ui.U
	frames := len(s.view.Snapshots)
	s.add(ui.Widget{Name: "timelapse-play", Kind: ui.Toggle, Group: "tr-btn", On: s.replaying,
		Label: map[bool]string{true: "❚❚", false: "▶"}[s.replaying], Rect: image.Rect(mid.Min.X, lapseY, mid.Min.X+ui.Control, lapseY+ui.Control),
		Tooltip: "Replay the time-lapse: the filters from initialisation to now.", Disabled: frames < 2})
	val := float64(frames)
	if s.lapse >= 0 {
		val = float64(s.lapse)
	}
	s.add(ui.Widget{Name: "timelapse", Kind: ui.Slider, Group: "tr-slider", Label: "Time-lapse of the filters",
		Rect: image.Rect(mid.Min.X+ui.Control+ui.Gap, lapseY, mid.Max.X, lapseY+ui.Control), Min: 0, Max: float64(frames), Step: 1,
		Value: val, Disabled: frames < 1,
		Tooltip: "Drag back to see the filters as they were since initialisation; all the way right follows training live."})

	// The figures and the curves.
	c := image.Rect(mid.Max.X+trainColGap, b.Min.Y, b.Max.X, b.Max.Y)
	l.readout = image.Rect(c.Min.X, c.Min.Y, c.Max.X, c.Min.Y+3*trainLine+ui.U)
	rest := c.Max.Y - l.readout.Max.Y - ui.U
	ph := (rest - 2*ui.U) / 2
	py := l.readout.Max.Y + ui.U
	l.lossPlot = trainPlotAt(c.Min.X, py, c.Dx(), ph)
	py += ph + 2*ui.U
	l.accPlot = trainPlotAt(c.Min.X, py, c.Dx(), ph)
}

// trainPlotAt returns a plot box h units tall whose title line starts at
// (x, y), its frame below leaving room for the axis labels.
func trainPlotAt(x, y, w, h int) trainPlotBox {
	return trainPlotBox{
		title: image.Rect(x, y, x+w, y+trainLine),
		frame: image.Rect(x+6*ui.U, y+trainLine, x+w-ui.U, y+h-trainSmallH),
	}
}

// trainFitGrid places n equal square cells, gap apart, as large as they
// fit in r, centred horizontally.
func trainFitGrid(r image.Rectangle, n, gap int) trainGrid {
	if n <= 0 || r.Empty() {
		return trainGrid{}
	}
	best, bestCols := 0, 1
	for cols := 1; cols <= n; cols++ {
		rows := (n + cols - 1) / cols
		c := min((r.Dx()-(cols-1)*gap)/cols, (r.Dy()-(rows-1)*gap)/rows)
		if c > best {
			best, bestCols = c, cols
		}
	}
	if best <= 0 {
		return trainGrid{}
	}
	rows := (n + bestCols - 1) / bestCols
	used := bestCols*best + (bestCols-1)*gap
	g := trainGrid{cell: best}
	g.cells = ui.Grid(image.Pt(r.Min.X+(r.Dx()-used)/2, r.Min.Y), rows, bestCols, best, gap)[:n]
	return g
}

// layoutNetwork lays out the architecture controls and the ledger.
func (s *TrainingScreen) layoutNetwork(l *trainLayout) {
	b := l.body
	a := s.settings.Arch
	x, y := b.Min.X, b.Min.Y
	w := trainCtlW
	y += trainSmallH
	fw := (w - 2*trainFieldGap) / 3
	s.field(l, "filters", "First-layer filters", "How many filters the first conv layer learns: "+
		strconv.Itoa(lesson.TrainMinFilters)+" to "+strconv.Itoa(lesson.TrainMaxFilters)+". "+trainRestartWords,
		strconv.Itoa(a.Filters), image.Rect(x, y, x+fw, y+ui.Control), false)
	l.labels[len(l.labels)-1].r.Max.X = x + w // the label may run past the narrow field
	l.labels = append(l.labels, trainLabel{text: strconv.Itoa(lesson.TrainMinFilters) + " to " + strconv.Itoa(lesson.TrainMaxFilters) + " (wheel or ↑ ↓)",
		r: image.Rect(x+fw+2*ui.U, y, x+w, y+ui.Control)})
	y += ui.Control + 2*ui.U
	var ks, ps []trainOption
	for _, k := range lesson.TrainKernels() {
		ks = append(ks, trainOption{name: "kernel-" + strconv.Itoa(k), label: strconv.Itoa(k) + "x" + strconv.Itoa(k),
			value: strconv.Itoa(k), group: "tr-kernel", tip: "First-layer filters of " + strconv.Itoa(k) + " x " + strconv.Itoa(k) + ". " + trainRestartWords})
	}
	y = s.choices(l, "First-layer kernel", x, y, w, ks, strconv.Itoa(a.Kernel))
	for p := 0; p <= lesson.TrainMaxPad; p++ {
		ps = append(ps, trainOption{name: "pad-" + strconv.Itoa(p), label: strconv.Itoa(p), value: strconv.Itoa(p),
			group: "tr-pad", tip: "A ring of " + strconv.Itoa(p) + " zeros around the input of the first conv layer. " + trainRestartWords})
	}
	y = s.choices(l, "First-layer zero padding", x, y, w, ps, strconv.Itoa(a.Pad))
	label := "Second conv layer: off"
	if a.Conv2 {
		label = "Second conv layer: on"
	}
	l.labels = append(l.labels, trainLabel{text: "Second conv block (conv 5x5 x16, ReLU, pool 3)", r: image.Rect(x, y, x+w, y+trainSmallH)})
	y += trainSmallH
	s.add(ui.Widget{Name: "conv2", Kind: ui.Toggle, Group: "tr-btn", Label: label, On: a.Conv2,
		Rect: image.Rect(x, y, x+w, y+ui.Control), Tooltip: "Add or remove the second conv block. " + trainRestartWords})
	y += ui.Control + 2*ui.U
	l.archText = image.Rect(x, y, x+w, b.Max.Y)
	lx := x + w + trainColGap
	l.ledger = image.Rect(lx, b.Min.Y, b.Max.X, b.Max.Y)
	table, _, _ := trainLedgerTable(s.settings)
	l.ledgerText, l.ledgerX = trainLedgerColumns(table, l.ledger)
}

// trainLedgerColumns measures the ledger's cells and returns the text
// size they are written in and the columns' edges across r: each column
// as wide as its widest cell plus a unit either side, the spare width
// shared in proportion. Body text when every column fits so, else
// caption size.
func trainLedgerColumns(table [][trainLedgerCols]trainCell, r image.Rectangle) (float64, []int) {
	var need [trainLedgerCols]int
	size := trainBody
	for _, size = range []float64{trainBody, trainCap} {
		total := 0
		for c := range need {
			need[c] = 0
			for _, row := range table {
				tc := row[c]
				sz := size
				if tc.head {
					sz = trainCap
				}
				need[c] = max(need[c], textW(tc.text, sz, tc.font)+2*ui.U)
			}
			total += need[c]
		}
		if total <= r.Dx() {
			break
		}
	}
	total := 0
	for _, w := range need {
		total += w
	}
	xs := []int{r.Min.X}
	spare, acc := max(r.Dx()-total, 0), 0
	for _, w := range need {
		acc += w
		xs = append(xs, r.Min.X+acc+spare*acc/max(total, 1))
	}
	return size, xs
}

// ledgerSize returns the text size of a ledger cell.
func (l *trainLayout) ledgerSize(tc trainCell) float64 {
	if tc.head {
		return trainCap
	}
	return l.ledgerText
}

// layoutExample places the chosen test example with its controls in the
// column at x, from y; it returns the column's bottom.
func (s *TrainingScreen) layoutExample(l *trainLayout, x, y, w int) {
	side := min(w, 30*ui.U)
	l.example = image.Rect(x+(w-side)/2, y, x+(w-side)/2+side, y+side)
	y = l.example.Max.Y + ui.U
	bw := ui.Control + 3*ui.U
	fw := w - 2*bw - 2*ui.Gap
	s.add(ui.Widget{Name: "test-image-prev", Kind: ui.Button, Group: "tr-btn", Label: "◀",
		Rect: image.Rect(x, y, x+bw, y+ui.Control), Tooltip: "The test example before this one."})
	s.addField(ui.Widget{Name: "test-image", Label: "Test example number",
		Rect: image.Rect(x+bw+ui.Gap, y, x+bw+ui.Gap+fw, y+ui.Control), Text: strconv.Itoa(s.testImage),
		Tooltip: "Type the number of a test example to look inside the net with it."})
	s.add(ui.Widget{Name: "test-image-next", Kind: ui.Button, Group: "tr-btn", Label: "▶",
		Rect: image.Rect(x+w-bw, y, x+w, y+ui.Control), Tooltip: "The test example after this one."})
	y += ui.Control + ui.U
	l.exText = image.Rect(x, y, x+w, y+2*trainLine)
	y = l.exText.Max.Y + ui.U
	l.exBars = image.Rect(x, y, x+w, y+3*trainLine)
}

// layoutInside lays out the chosen test example and every layer's maps.
func (s *TrainingScreen) layoutInside(l *trainLayout) {
	b := l.body
	w := 36 * ui.U
	s.layoutExample(l, b.Min.X, b.Min.Y, w)
	var maps []lesson.TrainMap
	if mp := s.view.Maps; mp != nil {
		maps = mp.Layers
	}
	s.layoutLayers(l, image.Rect(b.Min.X+w+trainColGap, b.Min.Y, b.Max.X, b.Max.Y), maps, true)
}

// layoutLayers places one column per layer of maps in r: a row of
// columns per block (a row ends after each pooling layer), the class
// scores as bars at the end of the last row when withScores, else left out.
func (s *TrainingScreen) layoutLayers(l *trainLayout, r image.Rectangle, maps []lesson.TrainMap, withScores bool) {
	n := len(maps)
	if !withScores && n > 0 {
		n--
	}
	var rows [][]int
	var cur []int
	for i := 0; i < n; i++ {
		cur = append(cur, i)
		if strings.HasPrefix(maps[i].Layer, "maxpool") {
			rows = append(rows, cur)
			cur = nil
		}
	}
	if len(cur) > 0 {
		if len(cur) == 1 && len(maps[cur[0]].Shape) != 3 && len(rows) > 0 {
			rows[len(rows)-1] = append(rows[len(rows)-1], cur[0]) // the scores end the last block's row
		} else {
			rows = append(rows, cur)
		}
	}
	if len(rows) == 0 {
		return
	}
	gap := 2 * ui.U
	rh := (r.Dy() - (len(rows)-1)*gap) / len(rows)
	for ri, row := range rows {
		y := r.Min.Y + ri*(rh+gap)
		weights, total := make([]int, len(row)), 0
		for k, i := range row {
			weights[k] = 5
			if len(maps[i].Shape) != 3 {
				weights[k] = 4
			}
			total += weights[k]
		}
		avail := r.Dx() - (len(row)-1)*gap
		x := r.Min.X
		for k, i := range row {
			m := maps[i]
			cw := avail * weights[k] / total
			col := trainLayerCol{layer: i}
			lines := 1
			if textW(m.Layer, trainCap, FontBold) > cw {
				lines = 2
			}
			col.title = image.Rect(x, y, x+cw, y+lines*trainSmallH)
			col.shape = image.Rect(x, col.title.Max.Y, x+cw, col.title.Max.Y+trainSmallH)
			area := image.Rect(x, col.shape.Max.Y+ui.U, x+cw, y+rh)
			if len(m.Shape) != 3 {
				col.bars = true
				col.mosaic = image.Rect(x, area.Min.Y, x+cw, min(area.Max.Y, area.Min.Y+trainLine*max(len(m.Values), 1)))
			} else {
				col.cols, col.mosaic = trainMosaicRect(area, m.Shape[0], m.Shape[1], m.Shape[2])
			}
			l.layerCols = append(l.layerCols, col)
			x += cw + gap
		}
	}
}

// trainMosaicRect chooses how many of c maps of h x w to put in a row so
// that the mosaic (maps one pixel apart) is as large as it fits in r, and
// returns that and the mosaic's rectangle, top-centred in r.
func trainMosaicRect(r image.Rectangle, c, h, w int) (int, image.Rectangle) {
	scale := func(cols int) float64 {
		rows := (c + cols - 1) / cols
		return min(float64(r.Dx())/float64(cols*(w+1)-1), float64(r.Dy())/float64(rows*(h+1)-1))
	}
	bestCols, best := 1, 0.0
	for cols := 1; cols <= c; cols++ {
		if sc := scale(cols); sc > best {
			best, bestCols = sc, cols
		}
	}
	// Full rows look tidier: take a number of columns that divides the
	// maps when it costs little size.
	for cols := 1; cols <= c; cols++ {
		if sc := scale(cols); c%cols == 0 && sc >= 0.7*scale(bestCols) && (c%bestCols != 0 || sc > best) {
			best, bestCols = sc, cols
		}
	}
	rows := (c + bestCols - 1) / bestCols
	pw, ph := bestCols*(w+1)-1, rows*(h+1)-1
	mw, mh := int(float64(pw)*best), int(float64(ph)*best)
	x := r.Min.X + (r.Dx()-mw)/2
	return bestCols, image.Rect(x, r.Min.Y, x+mw, r.Min.Y+mh)
}

// layoutResults lays out the gallery, the mistakes and the confusion matrix.
func (s *TrainingScreen) layoutResults(l *trainLayout) {
	b := l.body
	classes := s.classes()
	k := len(classes)
	cell := min(5*ui.U, (b.Dy()-2*trainLine-4*ui.U-3*trainSmallH)/k)
	labelW := 3 * ui.U
	if k < 10 {
		labelW = 6 * ui.U // the colour classes' names, cut to three letters
	}
	confW := max(labelW+ui.U+k*cell, 46*ui.U) // at least the heading's width
	l.confHead = image.Rect(b.Max.X-confW, b.Min.Y, b.Max.X, b.Min.Y+trainLine)
	top := l.confHead.Max.Y + trainLine + ui.U
	l.confusion = image.Rect(b.Max.X-k*cell, top, b.Max.X, top+k*cell)
	l.confCell = cell

	left := image.Rect(b.Min.X, b.Min.Y, l.confHead.Min.X-trainColGap, b.Max.Y)
	l.galleryHead = image.Rect(left.Min.X, left.Min.Y, left.Max.X, left.Min.Y+trainLine)
	items := 0
	if g := s.view.Gallery; g != nil {
		items = len(g.Items)
	}
	mistakeH := trainLine + ui.U + ui.Control + trainSmallH
	avail := left.Dy() - trainLine - ui.U - mistakeH - 2*ui.U
	cols := 4
	if items <= 12 {
		cols = 3
	}
	rows := max((items+cols-1)/cols, 1)
	itemH := min(12*ui.U, avail/rows-ui.U)
	itemW := (left.Dx() - (cols-1)*ui.U) / cols
	for i := 0; i < items; i++ {
		x := left.Min.X + (i%cols)*(itemW+ui.U)
		y := l.galleryHead.Max.Y + ui.U + (i/cols)*(itemH+ui.U)
		it := trainGalleryItem{name: "gallery-" + strconv.Itoa(i), index: i, r: image.Rect(x, y, x+itemW, y+itemH)}
		th := itemH - ui.U
		it.thumb = image.Rect(x+ui.U/2, y+ui.U/2, x+ui.U/2+th, y+ui.U/2+th)
		it.bars = image.Rect(it.thumb.Max.X+ui.U, y+ui.U/2, x+itemW-ui.U, y+itemH-ui.U/2)
		l.gallery = append(l.gallery, it)
		s.add(ui.Widget{Name: it.name, Kind: ui.Cell, Group: "tr-pick", Rect: it.r,
			Label: "Test example " + strconv.Itoa(s.galleryIndex(i)), Tooltip: "Look inside the net with this test example."})
	}
	my := left.Max.Y - mistakeH
	l.mistakeHead = image.Rect(left.Min.X, my, left.Max.X, my+trainLine)
	// Each slot as wide as the longest caption the classes can make, so
	// that every caption is read whole; as many slots as the row holds.
	slotW := ui.Control
	for a := range classes {
		for b := range classes {
			slotW = max(slotW, textW(trainMistakeCaption(classes, a, b), trainMistakeSize, FontRegular))
		}
	}
	n := min(lesson.TrainMistakes, (left.Dx()+ui.U)/(slotW+ui.U))
	ty := my + trainLine + ui.U
	for i := 0; i < n; i++ {
		x := left.Min.X + i*(slotW+ui.U)
		tx := x + (slotW-ui.Control)/2
		l.mistakes = append(l.mistakes, trainMistakeSlot{
			thumb:   image.Rect(tx, ty, tx+ui.Control, ty+ui.Control),
			caption: image.Rect(x, ty+ui.Control, x+slotW, ty+ui.Control+trainSmallH),
		})
	}
}

// galleryIndex returns the test example of gallery item i, or −1.
func (s *TrainingScreen) galleryIndex(i int) int {
	if g := s.view.Gallery; g != nil && i < len(g.Items) {
		return g.Items[i].Index
	}
	return -1
}

// layoutCompare lays out the three models side by side and their curves.
func (s *TrainingScreen) layoutCompare(l *trainLayout) {
	b := l.body
	plotH := max(18*ui.U, b.Dy()/4)
	l.cmpPlot = trainPlotAt(b.Min.X, b.Max.Y-plotH, b.Dx(), plotH)
	top := image.Rect(b.Min.X, b.Min.Y, b.Max.X, l.cmpPlot.title.Min.Y-2*ui.U)
	gap := trainColGap
	pw := (top.Dx() - 2*gap) / 3
	st := s.settings
	for i, model := range []string{lesson.TrainLinear, lesson.TrainMLP, lesson.TrainConv} {
		x := top.Min.X + i*(pw+gap)
		p := trainPanel{model: model}
		p.title = image.Rect(x, top.Min.Y, x+pw, top.Min.Y+trainLine)
		y := p.title.Max.Y + ui.U
		on := st.Models.On(model)
		label := "Training: on"
		if !on {
			label = "Training: off"
		}
		tw := 24 * ui.U
		s.add(ui.Widget{Name: "train-" + model, Kind: ui.Toggle, Group: "tr-btn", Label: label, On: on,
			Rect: image.Rect(x, y, x+tw, y+ui.Control), Tooltip: "Train " + trainModelWords(model) + " with the others, on the same minibatches, or leave it as it is."})
		if model == lesson.TrainMLP {
			fw := pw - tw - ui.Gap - 17*ui.U
			fx := x + pw - fw
			l.labels = append(l.labels, trainLabel{text: "Hidden units", r: image.Rect(x+tw+2*ui.U, y, fx-ui.U, y+ui.Control)})
			s.addField(ui.Widget{Name: "hidden", Label: "Hidden units",
				Rect: image.Rect(fx, y, x+pw, y+ui.Control), Text: strconv.Itoa(st.Arch.Hidden),
				Tooltip: "The MLP's hidden units, " + strconv.Itoa(lesson.TrainMinHidden) + " to " + strconv.Itoa(lesson.TrainMaxHidden) +
					": each is one whole-image template. " + trainRestartWords})
		}
		y += ui.Control + ui.U
		p.text = image.Rect(x, y, x+pw, y+2*trainSmallH)
		y = p.text.Max.Y + ui.U
		n, names := s.templateCount(model)
		area := image.Rect(x, y, x+pw, top.Max.Y)
		if names {
			area.Max.Y -= trainSmallH
		}
		p.grid = trainFitGridNamed(area, n, ui.U, names)
		if names {
			for _, c := range p.grid.cells {
				p.names = append(p.names, image.Rect(c.Min.X, c.Max.Y, c.Max.X, c.Max.Y+trainSmallH))
			}
		}
		l.panels[i] = p
	}
}

// trainFitGridNamed is trainFitGrid leaving a line under every row for a
// name when named.
func trainFitGridNamed(r image.Rectangle, n, gap int, named bool) trainGrid {
	if !named {
		return trainFitGrid(r, n, gap)
	}
	best := trainGrid{}
	for cols := 1; cols <= n; cols++ {
		rows := (n + cols - 1) / cols
		c := min((r.Dx()-(cols-1)*gap)/cols, (r.Dy()-rows*(gap+trainSmallH))/rows)
		if c > best.cell {
			used := cols*c + (cols-1)*gap
			best = trainGrid{cell: c, cells: ui.Grid(image.Pt(r.Min.X+(r.Dx()-used)/2, r.Min.Y), rows, cols, c, gap+trainSmallH)[:n]}
			// ui.Grid spaces rows and columns alike; put the columns back gap apart.
			for i := range best.cells {
				col := i % cols
				x := r.Min.X + (r.Dx()-used)/2 + col*(c+gap)
				best.cells[i].Min.X, best.cells[i].Max.X = x, x+c
			}
		}
	}
	return best
}

// templateCount returns how many templates the model's panel shows and
// whether each is named by a class.
func (s *TrainingScreen) templateCount(model string) (int, bool) {
	switch model {
	case lesson.TrainLinear:
		if t, ok := s.view.Template(model); ok {
			return t.Shape[0], true
		}
		return len(s.classes()), true
	case lesson.TrainMLP:
		if t, ok := s.view.Template(model); ok {
			return t.Shape[0], false
		}
		return s.settings.Arch.Hidden, false
	}
	if f := s.view.Filters; f != nil {
		return f.Shape[0], false
	}
	return s.settings.Arch.Filters, false
}

// classes returns the class names of the data set in use.
func (s *TrainingScreen) classes() []string {
	if len(s.view.Classes) > 0 {
		return s.view.Classes
	}
	if s.settings.Data == lesson.TrainColour {
		return data.ColourClasses()
	}
	return data.MNISTClasses()
}

// trainModelWords names a model in a sentence.
func trainModelWords(model string) string {
	switch model {
	case lesson.TrainLinear:
		return "the linear classifier"
	case lesson.TrainMLP:
		return "the MLP"
	}
	return "the conv net"
}

// layoutTry lays out the pad, the nets' answers and the drawing's maps.
func (s *TrainingScreen) layoutTry(l *trainLayout) {
	b := l.body
	side := min(60*ui.U, b.Dy()-ui.Control-2*ui.U-trainSmallH)
	side -= side % s.pad.W
	l.example = image.Rect(b.Min.X, b.Min.Y+trainSmallH, b.Min.X+side, b.Min.Y+trainSmallH+side)
	l.exText = image.Rect(b.Min.X, b.Min.Y, b.Min.X+side, b.Min.Y+trainSmallH)
	s.add(ui.Widget{Name: "pad", Kind: ui.Area, Group: "tr-pad", Rect: l.example,
		Label: "Drawing pad", Tooltip: "Draw here with the mouse, a pen or a finger: the nets answer as you draw."})
	y := l.example.Max.Y + 2*ui.U
	x := b.Min.X
	s.add(ui.Widget{Name: "pad-clear", Kind: ui.Button, Group: "tr-btn", Label: "Clear",
		Rect: image.Rect(x, y, x+14*ui.U, y+ui.Control), Tooltip: "Clear the pad."})
	x += 14*ui.U + 2*ui.U
	if s.pad.C == 3 {
		for _, ink := range trainInks {
			s.add(ui.Widget{Name: "ink-" + ink.name, Kind: ui.Cell, Group: "tr-ink", Label: ink.label,
				Rect: image.Rect(x, y, x+ui.Control, y+ui.Control), Tooltip: "Draw in " + ink.name + "."})
			x += ui.Control + ui.Gap/2
		}
	}
	gx := l.example.Max.X + trainColGap
	gw := 40 * ui.U
	gy := b.Min.Y
	for i := 0; i < 4; i++ {
		box := trainGuessBox{title: image.Rect(gx, gy, gx+gw, gy+trainLine)}
		box.bars = image.Rect(gx, gy+trainLine, gx+gw, gy+trainLine+3*trainLine)
		l.guessBoxes = append(l.guessBoxes, box)
		gy = box.bars.Max.Y + 2*ui.U
	}
	s.add(ui.Widget{Name: "load-pretrained", Kind: ui.Button, Label: "Load pretrained weights", Group: "tr-btn",
		Rect:    image.Rect(gx, gy, gx+gw, gy+ui.Control),
		Tooltip: "Pause and load the pretrained conv net's weights into the live one: its filters, maps and answers become the trained net's."})
	var maps []lesson.TrainMap
	if d := s.view.Drawn; d != nil && len(d.Input.Values) > 0 {
		maps = d.Maps
	}
	l.maps = image.Rect(gx+gw+trainColGap, b.Min.Y, b.Max.X, b.Max.Y)
	s.layoutLayers(l, l.maps, maps, false)
}
