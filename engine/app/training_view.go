package app

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strconv"
	"strings"

	"convlab/engine/lesson"
	"convlab/engine/nn"
	"convlab/engine/raster"
	"convlab/engine/tensor"
	"convlab/engine/ui"
)

// TrainPlot is a line plot the page draws over the marks: its frame, axis
// labels and title are marks; its lines are here, in layout units. The
// page draws the lines once per Version into a picture of Rect and then
// only that picture each frame.
type TrainPlot struct {
	Key     string
	Version int
	Rect    image.Rectangle
	Lines   []TrainLine
}

// TrainLine is one curve: a polyline through Points (x0, y0, x1, y1, …,
// in layout units) Width units wide.
type TrainLine struct {
	Colour color.RGBA
	Width  float64
	Points []float32
}

// Colours of the curves and bars: one per model, and the test accuracy's.
var (
	trainConvColour   = color.RGBA{0x1d, 0x4e, 0xd8, 0xff}
	trainLinearColour = color.RGBA{0xe8, 0x6a, 0x00, 0xff}
	trainMLPColour    = color.RGBA{0x7c, 0x3a, 0xed, 0xff}
	trainTestColour   = color.RGBA{0x15, 0x80, 0x3d, 0xff}
	trainBandColour   = color.RGBA{0xfd, 0xec, 0xec, 0xff}
	trainBarBack      = color.RGBA{0xe5, 0xe7, 0xeb, 0xff}
)

// Text sizes of the screen.
const (
	trainBody = ui.TextSize
	trainCap  = ui.SmallText
)

// pic returns the picture under key, remade by draw when tag (the version
// of the data it shows) differs from the one it was made from.
func (s *TrainingScreen) pic(key string, tag int, draw func() *image.RGBA) *Picture {
	p := s.pics[key]
	if p != nil && s.tags[key] == tag {
		return p
	}
	img := draw()
	if img == nil || img.Rect.Empty() {
		return nil
	}
	if p == nil {
		p = &Picture{Key: key}
		s.pics[key] = p
	}
	s.gen++
	p.Img, p.Version = img, s.gen
	s.tags[key] = tag
	return p
}

// paint rebuilds the marks and plots from the layout and the view.
func (s *TrainingScreen) paint() {
	s.paints++
	p := &painter{marks: s.marks[:0]}
	s.plots = s.plots[:0]
	s.paintTop(p)
	for _, lb := range s.lay.labels {
		p.text(lb.r, lb.text, trainCap, FontRegular, InkMuted, AlignLeft)
	}
	switch s.tab {
	case "network":
		s.paintNetwork(p)
	case "inside":
		s.paintInside(p)
	case "results":
		s.paintResults(p)
	case "compare":
		s.paintCompare(p)
	case "try":
		s.paintTry(p)
	default:
		s.paintTrain(p)
	}
	s.marks, s.dropped = p.marks, p.dropped
}

// conv returns the conv net's figures, if any came.
func (s *TrainingScreen) conv() (lesson.TrainModelReport, bool) {
	return s.view.Model(lesson.TrainConv)
}

// trainPercent writes an accuracy as "95.2%", or "–" before any.
func trainPercent(a float64) string {
	if a < 0 || math.IsNaN(a) {
		return "–"
	}
	return strconv.FormatFloat(100*a, 'f', 1, 64) + "%"
}

// trainWhereWords says where training runs.
func trainWhereWords(where string) string {
	switch where {
	case "worker":
		return "in a Web Worker"
	case "page":
		return "in the page"
	case "starting":
		return "starting the worker…"
	}
	return "not started"
}

// paintTop writes the figures at the end of the top row and the
// divergence band.
func (s *TrainingScreen) paintTop(p *painter) {
	l := &s.lay
	v := &s.view
	st := l.stats
	acc, seen := "test –", v.Examples
	if c, ok := s.conv(); ok {
		acc, seen = "test "+trainPercent(c.TestAccuracy), c.Examples
	}
	half := st.Dy() / 2
	p.text(image.Rect(st.Min.X, st.Min.Y, st.Max.X, st.Min.Y+half),
		fcCount(seen)+" seen · "+fcCount(int(v.ExamplesPerSecond+0.5))+"/s", trainCap, FontBold, InkText, AlignRight)
	p.text(image.Rect(st.Min.X, st.Min.Y+half, st.Max.X, st.Max.Y),
		acc+" · "+strconv.Itoa(s.shownFP)+" fps", trainCap, FontRegular, InkMuted, AlignRight)
	if d := v.Diverged; d != nil && !l.band.Empty() {
		p.fillColour(l.band, trainBandColour)
		p.stroke(l.band, 2, InkError)
		p.para(ui.Inset(l.bandTx, ui.U), trainStopped(d), l.bandSize, FontRegular, InkError)
	}
}

// trainStopped is the divergence band's message.
func trainStopped(d *lesson.TrainDivergence) string { return "Training stopped. " + d.Message }

// filterTag is the version of the filters shown: the live ones or a frame
// of the time-lapse.
func (s *TrainingScreen) filterTag() int {
	if s.lapse >= 0 {
		return (s.ver.snapshots*4096+s.lapse)*2 + 1
	}
	return s.ver.filters * 2
}

// filterPics returns the pictures of the first-layer filters shown (live
// or from the time-lapse), each normalised on its own.
func (s *TrainingScreen) filterPics() []*Picture {
	f := s.view.Filters
	if f == nil || f.Shape[0] == 0 {
		return nil
	}
	w := []float32(f.Weights)
	if s.lapse >= 0 && s.lapse < len(s.view.Snapshots) {
		if sw := s.view.Snapshots[s.lapse].Weights; len(sw) == len(w) {
			w = sw
		}
	}
	n, c, k := f.Shape[0], f.Shape[1], f.Shape[2]
	per := c * k * k
	if len(w) != n*per {
		return nil
	}
	tag := s.filterTag()
	out := make([]*Picture, n)
	for i := range out {
		out[i] = s.pic("filt-"+strconv.Itoa(i), tag, func() *image.RGBA { return raster.FilterImage(w[i*per:(i+1)*per], c, k) })
	}
	return out
}

// paintFilters draws the filters into grid g.
func (s *TrainingScreen) paintFilters(p *painter, g trainGrid) {
	pics := s.filterPics()
	for i, r := range g.cells {
		if i < len(pics) && pics[i] != nil {
			p.picture(r, pics[i])
		} else {
			p.fill(r, InkLine)
		}
		p.stroke(r, 1, InkLine)
	}
}

// paintTrain draws the train tab.
func (s *TrainingScreen) paintTrain(p *painter) {
	l := &s.lay
	v := &s.view
	f := v.Filters
	title := "First-layer filters"
	if f != nil {
		title = fmt.Sprintf("First-layer filters: %d of %d x %d x %d", f.Shape[0], f.Shape[1], f.Shape[2], f.Shape[3])
	}
	p.text(l.filtTitle, title, trainBody, FontBold, InkText, AlignLeft)
	if f == nil {
		p.text(image.Rect(l.filtTitle.Min.X, l.filtTitle.Max.Y+ui.U, l.filtTitle.Max.X, l.filtTitle.Max.Y+ui.U+trainLine),
			"Starting the training session ("+trainWhereWords(s.whereNow())+")", trainBody, FontRegular, InkMuted, AlignLeft)
	} else {
		s.paintFilters(p, l.filters)
	}
	legend := "Each filter on its own scale: blue −, white 0, red +."
	if f != nil && f.Shape[1] == 3 {
		legend = "Each filter on its own scale: grey is 0."
	}
	p.text(l.legend, legend, trainCap, FontRegular, InkMuted, AlignLeft)
	p.text(l.lapseText, "Shown: "+s.lapseWords(), trainCap, FontBold, InkText, AlignLeft)

	// The figures.
	r := l.readout
	lh := r.Dy() / 3
	c, ok := s.conv()
	line1 := fcCount(v.Examples) + " examples seen"
	line2 := "test – · train – · loss –"
	if ok {
		// The conv net's own count: after the pretrained weights are
		// loaded it starts again, while the other models go on.
		line1 = fcCount(c.Examples) + " examples seen · step " + fcCount(c.Steps)
		if c.Pretrained {
			line1 = "pretrained + " + fcCount(c.Examples) + " · step " + fcCount(c.Steps)
		}
		line2 = "test " + trainPercent(c.TestAccuracy) + " · train " + trainPercent(c.TrainAccuracy) + " · loss " + trainLoss(c.Loss)
	}
	line3 := fcCount(int(v.ExamplesPerSecond+0.5)) + " examples/s · " + strconv.Itoa(s.shownFP) + " frames/s · " + trainWhereWords(s.whereNow())
	p.text(image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+lh), line1, trainBody, FontBold, InkText, AlignLeft)
	p.text(image.Rect(r.Min.X, r.Min.Y+lh, r.Max.X, r.Min.Y+2*lh), line2, trainBody, FontRegular, InkText, AlignLeft)
	p.text(image.Rect(r.Min.X, r.Min.Y+2*lh, r.Max.X, r.Max.Y), line3, trainCap, FontRegular, InkMuted, AlignLeft)

	conv, _ := s.conv()
	s.paintPlot(p, "loss", l.lossPlot, "Training loss (smoothed)", false,
		[]trainSeries{{conv.Curve, trainConvColour, func(t lesson.TrainPoint) float32 { return t.Loss }}})
	s.paintPlot(p, "acc", l.accPlot, "Accuracy: training (blue), test (green)", true, []trainSeries{
		{conv.Curve, trainConvColour, func(t lesson.TrainPoint) float32 { return t.Train }},
		{conv.Curve, trainTestColour, func(t lesson.TrainPoint) float32 { return t.Test }},
	})
}

// trainLoss writes a loss with three decimals, or "–".
func trainLoss(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	return strconv.FormatFloat(v, 'f', 3, 64)
}

// trainSeries is one curve of a plot: the points and which value of each.
type trainSeries struct {
	pts    []lesson.TrainPoint
	colour color.RGBA
	y      func(lesson.TrainPoint) float32
}

// paintPlot draws a plot's title, frame and axis labels as marks and adds
// its lines. Accuracy plots run from 0 to 100%; others from 0 to the
// largest value. Negative values (an accuracy before any test) are left out.
func (s *TrainingScreen) paintPlot(p *painter, key string, box trainPlotBox, title string, accuracy bool, series []trainSeries) {
	fr := box.frame
	if fr.Dx() <= 0 || fr.Dy() <= 0 {
		return
	}
	p.text(box.title, title, trainCap, FontBold, InkText, AlignLeft)
	p.fill(fr, InkPanel)
	xmax, ymax := 0, float32(0)
	for _, se := range series {
		for _, pt := range se.pts {
			xmax = max(xmax, pt.Examples)
			if y := se.y(pt); y == y && !math.IsInf(float64(y), 0) {
				ymax = max(ymax, y)
			}
		}
	}
	if accuracy {
		ymax = 1
	} else {
		ymax = trainCeil(ymax)
	}
	// Gridlines at the quarters.
	for q := 1; q < 4; q++ {
		y := fr.Max.Y - fr.Dy()*q/4
		p.fill(image.Rect(fr.Min.X, y, fr.Max.X, y+1), InkLine)
	}
	p.stroke(fr, 1, InkLine)
	top, bottom := "", "0"
	if accuracy {
		top, bottom = "100%", "0%"
	} else if ymax > 0 {
		top = lesson.FormatNumber(ymax)
	}
	lw := fr.Min.X - box.title.Min.X - ui.U
	p.text(image.Rect(box.title.Min.X, fr.Min.Y, box.title.Min.X+lw, fr.Min.Y+trainSmallH), top, trainCap, FontRegular, InkMuted, AlignRight)
	p.text(image.Rect(box.title.Min.X, fr.Max.Y-trainSmallH, box.title.Min.X+lw, fr.Max.Y), bottom, trainCap, FontRegular, InkMuted, AlignRight)
	xl := image.Rect(fr.Min.X, fr.Max.Y, fr.Max.X, fr.Max.Y+trainSmallH)
	p.text(xl, "0", trainCap, FontRegular, InkMuted, AlignLeft)
	p.text(xl, "examples seen", trainCap, FontRegular, InkMuted, AlignCenter)
	if xmax > 0 {
		p.text(xl, fcCount(xmax), trainCap, FontRegular, InkMuted, AlignRight)
	}
	if xmax == 0 || ymax <= 0 {
		return
	}
	plot := TrainPlot{Key: key, Rect: fr}
	in := ui.Inset(fr, 1)
	for _, se := range series {
		line := TrainLine{Colour: se.colour, Width: 2}
		for _, pt := range se.pts {
			y := se.y(pt)
			if !(y >= 0) || math.IsInf(float64(y), 0) {
				continue
			}
			x := float32(in.Min.X) + float32(in.Dx())*float32(pt.Examples)/float32(xmax)
			yy := float32(in.Max.Y) - float32(in.Dy())*min(y, ymax)/ymax
			line.Points = append(line.Points, x, yy)
		}
		if len(line.Points) >= 4 {
			plot.Lines = append(plot.Lines, line)
		}
	}
	plot.Version = s.plotVersion(plot)
	s.plots = append(s.plots, plot)
}

// plotVersion returns the version of a plot: the same as last time while
// the curves and the plot's place are, so the page redraws its lines only
// when they change.
func (s *TrainingScreen) plotVersion(pl TrainPlot) int {
	now := trainPlotTag{curves: s.ver.curves, rect: pl.Rect}
	if old, ok := s.plotTags[pl.Key]; ok && old.curves == now.curves && old.rect == now.rect {
		return old.version
	}
	s.gen++
	now.version = s.gen
	s.plotTags[pl.Key] = now
	return now.version
}

// trainPlotTag is what a plot's lines were drawn from.
type trainPlotTag struct {
	curves  int
	rect    image.Rectangle
	version int
}

// trainCeil rounds v up to a multiple of half a power of ten: 2.31 to
// 2.5, 0.27 to 0.3.
func trainCeil(v float32) float32 {
	if !(v > 0) || math.IsInf(float64(v), 0) {
		return 0
	}
	step := math.Pow(10, math.Floor(math.Log10(float64(v)))) / 2
	return float32(trainRound(math.Ceil(float64(v)/step*(1-1e-9)) * step))
}

// paintNetwork draws the network tab's words and the ledger.
func (s *TrainingScreen) paintNetwork(p *painter) {
	l := &s.lay
	st := s.settings
	a := st.Arch
	out, err := nnOutputWords(a)
	words := "Shapes: the first conv layer's output side is (W − K + 2P)/S + 1 = " + out + "."
	if err != "" {
		words = err
	}
	// Below a divergence band there may be no room for the reminder.
	if more := words + " Changing the network starts every model afresh from the seed."; paraFits(more, l.archText, trainCap, FontRegular) {
		words = more
	}
	p.para(l.archText, words, trainCap, FontRegular, InkText)

	r := l.ledger
	xs := l.ledgerX
	rowH := trainLine + ui.U
	cell := func(row, col int) image.Rectangle {
		y := r.Min.Y + trainLine + ui.U + row*rowH
		return image.Rect(xs[col]+ui.U, y, xs[col+1]-ui.U, y+rowH)
	}
	p.text(image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+trainLine), "The conv net, layer by layer (per example)", trainBody, FontBold, InkText, AlignLeft)
	table, rows, lerr := trainLedgerTable(st)
	line := func(row int) {
		y := cell(row, 0).Min.Y
		p.fill(image.Rect(r.Min.X, y, r.Max.X, y+1), InkLine)
	}
	params, madds, convParams, convMadds := 0, 0, 0, 0
	for _, row := range rows {
		params += row.Params
		madds += row.MultiplyAdds
		if strings.HasPrefix(row.Name, "conv") {
			convParams += row.Params
			convMadds += row.MultiplyAdds
		}
	}
	share := func(n, total int) float64 { return float64(n) / float64(max(total, 1)) }
	for i, row := range rows {
		// Each layer's share of the parameters and of the multiply-adds,
		// as a light bar behind its number.
		for k, part := range []float64{share(row.Params, params), share(row.MultiplyAdds, madds)} {
			cr := cell(i+2, 4+k)
			w := int(math.Round(float64(cr.Dx()) * part))
			p.fillColour(image.Rect(cr.Max.X-w, cr.Min.Y+ui.U/2, cr.Max.X, cr.Max.Y-ui.U/2), color.RGBA{0xdb, 0xea, 0xfe, 0xff})
		}
	}
	for i, cells := range table {
		if i > 0 {
			line(i)
		}
		for c, tc := range cells {
			al := AlignLeft
			if c >= 4 {
				al = AlignRight
			}
			p.text(cell(i, c), tc.text, l.ledgerSize(tc), tc.font, tc.ink, al)
		}
	}
	if lerr != nil {
		p.para(image.Rect(r.Min.X, cell(1, 0).Min.Y, r.Max.X, r.Max.Y), lerr.Error(), trainBody, FontRegular, InkError)
		return
	}
	n := len(table) - 1
	below := cell(n+1, 0)
	y := p.para(image.Rect(r.Min.X, below.Min.Y+ui.U, r.Max.X, r.Max.Y), fmt.Sprintf(
		"The bars are each layer's share. The conv layers hold %s of the parameters and do %s of the multiply-adds: "+
			"a filter is small, but it is applied at every position of its input.",
		trainPercent(share(convParams, params)), trainPercent(share(convMadds, madds))), trainBody, FontRegular, InkMuted)
	lin, _ := s.view.Model(lesson.TrainLinear)
	mlp, _ := s.view.Model(lesson.TrainMLP)
	cmp := fmt.Sprintf("For comparison: the linear classifier has %s parameters, the MLP (%d hidden units) %s.",
		fcCount(lin.Params), a.Hidden, fcCount(mlp.Params))
	// Below a divergence band there may be no room for it.
	if rest := image.Rect(r.Min.X, y+ui.U, r.Max.X, r.Max.Y); lin.Params > 0 && paraFits(cmp, rest, trainCap, FontRegular) {
		p.para(rest, cmp, trainCap, FontRegular, InkMuted)
	}
}

// trainCell is one cell of the ledger: its words and how they are
// written. Heads are captions; the rest is written in the ledger's size.
type trainCell struct {
	text string
	font Font
	ink  Ink
	head bool
}

// trainLedgerHeads are the ledger's column heads.
var trainLedgerHeads = [trainLedgerCols]string{"#", "layer", "output", "weights", "parameters", "multiply-adds"}

// trainLedgerCols is the number of the ledger's columns.
const trainLedgerCols = 6

// trainLedgerTable returns the ledger of the conv net the settings
// describe as cells, row by row: the heads, the input, one row per layer
// and the total; and the layers' rows. When the net cannot work it
// returns only the heads and the error naming the first layer at fault.
func trainLedgerTable(st lesson.TrainSettings) ([][trainLedgerCols]trainCell, []nn.LedgerRow, error) {
	var heads [trainLedgerCols]trainCell
	for c, h := range trainLedgerHeads {
		heads[c] = trainCell{text: h, font: FontBold, ink: InkMuted, head: true}
	}
	table := [][trainLedgerCols]trainCell{heads}
	rows, err := lesson.TrainLedger(st)
	if err != nil {
		return table, nil, err
	}
	in := trainShape([]int{trainChannels(st.Data), lesson.TrainCrop, lesson.TrainCrop})
	table = append(table, [trainLedgerCols]trainCell{1: {text: "input (a crop)", ink: InkMuted}, 2: {text: in, ink: InkMuted}})
	params, madds := 0, 0
	for _, row := range rows {
		params += row.Params
		madds += row.MultiplyAdds
		var cells [trainLedgerCols]trainCell
		for c, t := range []string{strconv.Itoa(row.Layer), row.Name, trainShape(row.Output), trainShape(row.Weight),
			fcCount(row.Params), fcCount(row.MultiplyAdds)} {
			font := FontRegular
			if c >= 4 {
				font = FontMono
				if t == "0" {
					t = "–"
				}
			}
			cells[c] = trainCell{text: t, font: font, ink: InkText}
		}
		table = append(table, cells)
	}
	table = append(table, [trainLedgerCols]trainCell{
		1: {text: "total", font: FontBold, ink: InkText},
		4: {text: fcCount(params), font: FontBold, ink: InkText},
		5: {text: fcCount(madds), font: FontBold, ink: InkText},
	})
	return table, rows, nil
}

// trainChannels returns the channels of a data set's pictures.
func trainChannels(set string) int {
	if set == lesson.TrainColour {
		return 3
	}
	return 1
}

// nnOutputWords writes the first conv layer's output side worked out, or
// says why there is none.
func nnOutputWords(a lesson.TrainArch) (string, string) {
	n := lesson.TrainCrop - a.Kernel + 2*a.Pad + 1
	if n < 1 {
		return "", fmt.Sprintf("A %dx%d kernel with padding %d does not fit a %d x %d crop.", a.Kernel, a.Kernel, a.Pad, lesson.TrainCrop, lesson.TrainCrop)
	}
	return fmt.Sprintf("(%d − %d + 2·%d)/1 + 1 = %d", lesson.TrainCrop, a.Kernel, a.Pad, n), ""
}

// testPic returns the picture of test example i, if the view has it.
func (s *TrainingScreen) testPic(i int) *Picture {
	im, ok := s.view.Image(i)
	if !ok {
		return nil
	}
	key := "test-" + s.settings.Data + "-" + strconv.Itoa(i)
	return s.pic(key, s.ver.images, func() *image.RGBA { return trainBytesImage(im.Pixels, im.Shape[0], im.Shape[1], im.Shape[2]) })
}

// trainBytesImage draws a (C, H, W) picture of bytes: grey for one
// channel, colour for three.
func trainBytesImage(px []byte, c, h, w int) *image.RGBA {
	if len(px) != c*h*w || (c != 1 && c != 3) {
		return nil
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			r := px[y*w+x]
			g, b := r, r
			if c == 3 {
				g, b = px[(h+y)*w+x], px[(2*h+y)*w+x]
			}
			img.SetRGBA(x, y, color.RGBA{r, g, b, 255})
		}
	}
	return img
}

// cropBox returns the part of r (showing a side x side picture) that the
// nets see: the centred TrainCrop x TrainCrop crop.
func cropBox(r image.Rectangle, side int) image.Rectangle {
	if side <= lesson.TrainCrop {
		return r
	}
	m := (side - lesson.TrainCrop) / 2
	px := float64(r.Dx()) / float64(side)
	d := int(math.Round(float64(m) * px))
	return image.Rect(r.Min.X+d, r.Min.Y+d, r.Max.X-d, r.Max.Y-d)
}

// paintInside draws the chosen test example and the maps of every layer.
func (s *TrainingScreen) paintInside(p *painter) {
	l := &s.lay
	mp := s.view.Maps
	pic := s.testPic(s.testImage)
	if pic != nil {
		p.picture(l.example, pic)
		p.stroke(cropBox(l.example, pic.Img.Rect.Dx()), 2, InkWindow)
	} else {
		p.fill(l.example, InkLine)
	}
	classes := s.classes()
	if mp == nil || mp.Index != s.testImage {
		p.text(image.Rect(l.exText.Min.X, l.exText.Min.Y, l.exText.Max.X, l.exText.Min.Y+trainLine),
			fmt.Sprintf("Test example %d: waiting for the net…", s.testImage), trainBody, FontRegular, InkMuted, AlignLeft)
		return
	}
	label := trainClassName(classes, mp.Label)
	p.text(image.Rect(l.exText.Min.X, l.exText.Min.Y, l.exText.Max.X, l.exText.Min.Y+trainLine),
		fmt.Sprintf("Test example %d: a %s", mp.Index, label), trainBody, FontBold, InkText, AlignLeft)
	p.text(image.Rect(l.exText.Min.X, l.exText.Min.Y+trainLine, l.exText.Max.X, l.exText.Max.Y),
		"Top 3; the net sees the orange box", trainCap, FontRegular, InkMuted, AlignLeft)
	s.paintBars(p, l.exBars, mp.Probs, mp.Label, 3)
	s.paintLayers(p, "act", s.ver.maps, mp.Layers, classes, mp.Label)
}

// trainClassName returns class c's name, or its number.
func trainClassName(classes []string, c int) string {
	if c >= 0 && c < len(classes) {
		return classes[c]
	}
	return strconv.Itoa(c)
}

// paintBars draws the n most probable classes of probs as bars in r, one
// row each: the class, a bar as long as its probability, the percentage
// (written over the bar, which is then drawn light, when r is narrow). A
// row of the true label is green, a wrong first answer red; label −1
// marks nothing.
func (s *TrainingScreen) paintBars(p *painter, r image.Rectangle, probs []float32, label, n int) {
	if len(probs) == 0 || r.Dy() <= 0 {
		return
	}
	classes := s.classes()
	top := trainTop(probs, n)
	rh := r.Dy() / n
	longest := 0
	for c := range classes {
		longest = max(longest, textW(trainShortClass(classes, c), trainCap, FontBold))
	}
	nameW := min(r.Dx()/3, longest+ui.U)
	pctW := 8 * ui.U
	over := r.Dx()-nameW < pctW+10*ui.U // too narrow for bar and words side by side
	if over {
		pctW = 0
	}
	for i, c := range top {
		y := r.Min.Y + i*rh
		row := image.Rect(r.Min.X, y, r.Max.X, y+rh)
		ink, colour, light := InkText, trainConvColour, color.RGBA{0x93, 0xc5, 0xfd, 0xff}
		if c == label {
			ink, colour, light = InkGood, trainTestColour, color.RGBA{0x86, 0xef, 0xac, 0xff}
		} else if i == 0 && label >= 0 {
			ink, colour, light = InkError, color.RGBA{0xb9, 0x1c, 0x1c, 0xff}, color.RGBA{0xfc, 0xa5, 0xa5, 0xff}
		}
		p.text(image.Rect(row.Min.X, y, row.Min.X+nameW-ui.U/2, y+rh), trainShortClass(classes, c), trainCap, FontBold, ink, AlignLeft)
		bar := image.Rect(row.Min.X+nameW, y+rh/6, row.Max.X-pctW, y+rh-rh/6)
		if !over {
			bar = image.Rect(row.Min.X+nameW, y+rh/4, row.Max.X-pctW, y+rh-rh/4)
		}
		p.fillColour(bar, trainBarBack)
		pr := float64(probs[c])
		if !(pr >= 0) {
			pr = 0
		}
		w := int(math.Round(float64(bar.Dx()) * min(pr, 1)))
		if over {
			colour = light
		}
		p.fillColour(image.Rect(bar.Min.X, bar.Min.Y, bar.Min.X+w, bar.Max.Y), colour)
		if over {
			p.text(image.Rect(bar.Min.X, y, bar.Max.X-ui.U/2, y+rh), trainPercent(pr), trainCap, FontRegular, InkText, AlignRight)
		} else {
			p.text(image.Rect(row.Max.X-pctW, y, row.Max.X, y+rh), trainPercent(pr), trainCap, FontRegular, InkText, AlignRight)
		}
	}
}

// paintLayers draws the layer columns of the layout from maps, their
// mosaics keyed by prefix and remade when tag changes. The last layer
// (the class scores) is drawn as bars when its column is there.
func (s *TrainingScreen) paintLayers(p *painter, prefix string, tag int, maps []lesson.TrainMap, classes []string, label int) {
	for _, col := range s.lay.layerCols {
		if col.layer >= len(maps) {
			continue
		}
		m := maps[col.layer]
		p.para(col.title, m.Layer, trainCap, FontBold, InkText)
		p.text(col.shape, trainShape(m.Shape), trainCap, FontMono, InkMuted, AlignLeft)
		if col.bars {
			s.paintScores(p, col.mosaic, m.Values, classes, label)
			continue
		}
		key := prefix + "-" + strconv.Itoa(col.layer)
		pic := s.pic(key, tag*64+col.cols, func() *image.RGBA {
			t := tensor.FromData(append([]float32(nil), m.Values...), m.Shape...)
			_, lim := raster.SymmetricRange(t.Data)
			return trainMosaic(t, col.cols, lim)
		})
		p.picture(col.mosaic, pic)
	}
}

// trainMosaic draws a layer's maps (C, H, W) cols to a row, one grey
// pixel apart (the maps are white where they are zero), all on one
// diverging scale of ±lim.
func trainMosaic(out *tensor.Tensor, cols int, lim float32) *image.RGBA {
	c, h, w := out.Shape[0], out.Shape[1], out.Shape[2]
	imgs := make([]image.Image, c)
	for i := range imgs {
		imgs[i] = raster.HeatMap(out.Data[i*h*w:(i+1)*h*w], w, h, -lim, lim, raster.DivergingMap)
	}
	return raster.Mosaic(imgs, cols, 1, color.RGBA{0xc9, 0xcc, 0xd2, 0xff})
}

// paintScores draws a vector (the class scores) as one bar per class
// around a zero line.
func (s *TrainingScreen) paintScores(p *painter, r image.Rectangle, vals []float32, classes []string, label int) {
	n := len(vals)
	if n == 0 {
		return
	}
	rh := r.Dy() / n
	_, lim := raster.SymmetricRange(vals)
	// The classes' names in full when they leave the bars two thirds of
	// the column, else cut short.
	names, longest := make([]string, n), 0
	for i := range names {
		names[i] = trainClassName(classes, i)
		longest = max(longest, textW(names[i], trainCap, FontRegular))
	}
	if longest+ui.U > r.Dx()/3 {
		longest = 0
		for i := range names {
			names[i] = trainShortClass(classes, i)
			longest = max(longest, textW(names[i], trainCap, FontRegular))
		}
	}
	nameW := longest + ui.U
	bar := image.Rect(r.Min.X+nameW, r.Min.Y, r.Max.X, r.Max.Y)
	mid := (bar.Min.X + bar.Max.X) / 2
	for i, v := range vals {
		y := r.Min.Y + i*rh
		ink := InkText
		if i == label {
			ink = InkGood
		}
		p.text(image.Rect(r.Min.X, y, r.Min.X+nameW-ui.U/2, y+rh), names[i], trainCap, FontRegular, ink, AlignLeft)
		if !(lim > 0) || v != v {
			continue
		}
		w := int(math.Round(float64(bar.Dx()/2) * float64(min(max(v/lim, -1), 1))))
		br := image.Rect(mid, y+rh/5, mid+w, y+rh-rh/5).Canon()
		p.fillColour(br, raster.Diverging(v, lim))
	}
	p.fill(image.Rect(mid, r.Min.Y, mid+1, r.Min.Y+n*rh), InkMuted)
}

// paintResults draws the gallery, the mistakes and the confusion matrix.
func (s *TrainingScreen) paintResults(p *painter) {
	l := &s.lay
	g := s.view.Gallery
	classes := s.classes()
	head := "Two test examples of each class: the conv net's top 3"
	p.text(l.galleryHead, head, trainBody, FontBold, InkText, AlignLeft)
	if g == nil {
		return
	}
	for _, it := range l.gallery {
		gi := g.Items[it.index]
		p.fill(it.r, InkPanel)
		if gi.Wrong {
			p.stroke(it.r, 3, InkError)
		} else {
			p.stroke(it.r, 1, InkLine)
		}
		if pic := s.testPic(gi.Index); pic != nil {
			p.picture(it.thumb, pic)
		}
		probs := make([]float32, len(classes))
		for k, c := range gi.Top {
			if c >= 0 && c < len(probs) && k < len(gi.Probs) {
				probs[c] = gi.Probs[k]
			}
		}
		s.paintBars(p, it.bars, probs, gi.Label, 3)
	}
	p.text(l.mistakeHead, "Latest mistakes (true → answer)", trainBody, FontBold, InkText, AlignLeft)
	ms := g.Mistakes
	for i, slot := range l.mistakes {
		k := len(ms) - 1 - i // newest first
		if k < 0 {
			break
		}
		m := ms[k]
		if pic := s.testPic(m.Index); pic != nil {
			p.picture(slot.thumb, pic)
		}
		p.stroke(slot.thumb, 2, InkError)
		p.text(slot.caption, trainMistakeCaption(classes, m.Label, m.Top[0]), trainMistakeSize, FontRegular, InkText, AlignCenter)
	}
	if len(ms) == 0 {
		p.text(image.Rect(l.mistakeHead.Min.X, l.mistakeHead.Max.Y+ui.U, l.mistakeHead.Max.X, l.mistakeHead.Max.Y+ui.U+trainLine),
			"None yet.", trainBody, FontRegular, InkMuted, AlignLeft)
	}
	s.paintConfusion(p, classes)
}

// trainMistakeSize is the text size of a mistake's caption.
const trainMistakeSize = trainCap * 0.8

// trainMistakeCaption is a mistake's caption: "true→answer".
func trainMistakeCaption(classes []string, label, answer int) string {
	return trainShortClass(classes, label) + "→" + trainShortClass(classes, answer)
}

// trainShortNames are the colour classes' names cut short for captions,
// bars and the confusion matrix's edges, still telling the two diagonals
// and the two colour pairs apart.
var trainShortNames = map[string]string{
	"vertical": "vert", "horizontal": "horiz", "diagonal /": "diag /", "diagonal \\": "diag \\",
	"red-green": "r-g", "blue-yellow": "b-y",
}

// trainShortClass returns class c's name short enough for a thumbnail's
// caption.
func trainShortClass(classes []string, c int) string {
	n := trainClassName(classes, c)
	if short, ok := trainShortNames[n]; ok {
		return short
	}
	return n
}

// paintConfusion draws the confusion matrix: rows the true class, columns
// the answer, each cell's count on a scale of its row's total.
func (s *TrainingScreen) paintConfusion(p *painter, classes []string) {
	l := &s.lay
	cm := s.view.Confusion
	k := len(cm)
	p.text(l.confHead, "Confusion matrix", trainBody, FontBold, InkText, AlignLeft)
	if k == 0 {
		return
	}
	cell := l.confCell
	r := l.confusion
	p.text(l.confHead, "columns: the answer", trainCap, FontRegular, InkMuted, AlignRight)
	total, right := 0, 0
	for t := 0; t < k; t++ {
		row := 0
		for _, n := range cm[t] {
			row += n
		}
		total += row
		y := r.Min.Y + t*cell
		p.text(image.Rect(l.confHead.Min.X, y, r.Min.X-ui.U/2, y+cell), trainShortClass(classes, t), trainCap, FontRegular, InkMuted, AlignRight)
		for a := 0; a < k && a < len(cm[t]); a++ {
			n := cm[t][a]
			if a == t {
				right += n
			}
			c := image.Rect(r.Min.X+a*cell, y, r.Min.X+(a+1)*cell, y+cell)
			frac := 0.0
			if row > 0 {
				frac = float64(n) / float64(row)
			}
			p.fillColour(c, trainConfColour(frac, a == t))
			if n > 0 {
				ink := InkText
				if frac > 0.6 {
					ink = InkPanel
				}
				p.text(c, strconv.Itoa(n), trainCap*0.8, FontRegular, ink, AlignCenter)
			}
		}
	}
	for a := 0; a < k; a++ {
		p.text(image.Rect(r.Min.X+a*cell, r.Min.Y-trainSmallH-ui.U/2, r.Min.X+(a+1)*cell, r.Min.Y-ui.U/2),
			trainShortClass(classes, a), trainCap*0.8, FontRegular, InkMuted, AlignCenter)
	}
	p.stroke(r, 1, InkLine)
	if total > 0 {
		words := fmt.Sprintf("Rows: the true class. The latest answer for each of the %s test examples: %s right.",
			fcCount(total), trainPercent(float64(right)/float64(total)))
		if c, ok := s.conv(); ok && !c.TestExact {
			words += " While training, some answers date from earlier weights; pause for an exact count."
		}
		p.para(image.Rect(l.confHead.Min.X, r.Max.Y+ui.U, r.Max.X, s.lay.body.Max.Y), words, trainCap, FontRegular, InkMuted)
	}
}

// trainConfColour shades a confusion cell: green on the diagonal, red off
// it, deeper with a larger share of the row.
func trainConfColour(frac float64, diag bool) color.RGBA {
	if frac <= 0 {
		return color.RGBA{0xf8, 0xf8, 0xf8, 0xff}
	}
	to := color.RGBA{0xb9, 0x1c, 0x1c, 0xff}
	if diag {
		to = trainTestColour
	}
	t := 0.15 + 0.85*min(frac, 1)
	mix := func(a, b uint8) uint8 { return uint8(math.Round(float64(a) + (float64(b)-float64(a))*t)) }
	return color.RGBA{mix(0xff, to.R), mix(0xff, to.G), mix(0xff, to.B), 0xff}
}

// templatePics returns the pictures of a model's templates, each
// normalised on its own.
func (s *TrainingScreen) templatePics(model string) []*Picture {
	t, ok := s.view.Template(model)
	if !ok {
		return nil
	}
	n, c, h, w := t.Shape[0], t.Shape[1], t.Shape[2], t.Shape[3]
	per := c * h * w
	if h != w || len(t.Weights) != n*per {
		return nil
	}
	tag := s.ver.linear
	if model == lesson.TrainMLP {
		tag = s.ver.mlp
	}
	out := make([]*Picture, n)
	for i := range out {
		out[i] = s.pic("tmpl-"+model+"-"+strconv.Itoa(i), tag, func() *image.RGBA {
			return raster.FilterImage(t.Weights[i*per:(i+1)*per], c, h)
		})
	}
	return out
}

// paintCompare draws the three models side by side and their test accuracy.
func (s *TrainingScreen) paintCompare(p *painter) {
	l := &s.lay
	classes := s.classes()
	titles := map[string]string{
		lesson.TrainLinear: "Linear classifier (slide 27)",
		lesson.TrainMLP:    "MLP, two layers (slide 28)",
		lesson.TrainConv:   "Conv net (slide 29)",
	}
	what := map[string]string{
		lesson.TrainLinear: "one whole-image template per class",
		lesson.TrainMLP:    "each hidden unit a whole-image template",
		lesson.TrainConv:   "local templates, slid over the picture",
	}
	var series []trainSeries
	for _, pn := range l.panels {
		m, _ := s.view.Model(pn.model)
		p.text(pn.title, titles[pn.model], trainBody, FontBold, InkText, AlignLeft)
		half := pn.text.Dy() / 2
		p.text(image.Rect(pn.text.Min.X, pn.text.Min.Y, pn.text.Max.X, pn.text.Min.Y+half), what[pn.model], trainCap, FontRegular, InkText, AlignLeft)
		p.text(image.Rect(pn.text.Min.X, pn.text.Min.Y+half, pn.text.Max.X, pn.text.Max.Y),
			fmt.Sprintf("test %s · %s parameters", trainPercent(m.TestAccuracy), fcCount(m.Params)), trainCap, FontRegular, InkMuted, AlignLeft)
		var pics []*Picture
		if pn.model == lesson.TrainConv {
			pics = s.filterPics()
		} else {
			pics = s.templatePics(pn.model)
		}
		for i, r := range pn.grid.cells {
			if i < len(pics) && pics[i] != nil {
				p.picture(r, pics[i])
			} else {
				p.fill(r, InkLine)
			}
			p.stroke(r, 1, InkLine)
		}
		for i, r := range pn.names {
			p.text(r, trainClassName(classes, i), trainCap, FontRegular, InkMuted, AlignCenter)
		}
		colour := map[string]color.RGBA{lesson.TrainLinear: trainLinearColour, lesson.TrainMLP: trainMLPColour, lesson.TrainConv: trainConvColour}[pn.model]
		series = append(series, trainSeries{m.Curve, colour, func(t lesson.TrainPoint) float32 { return t.Test }})
	}
	s.paintPlot(p, "cmp", l.cmpPlot, "Test accuracy: linear (orange), MLP (purple), conv net (blue)", true, series)
}

// paintTry draws the pad, the nets' answers and the drawing's maps.
func (s *TrainingScreen) paintTry(p *painter) {
	l := &s.lay
	pad := s.pad
	words := "Draw a digit; the nets see inside the orange box."
	if pad.C == 3 {
		words = "Draw stripes or edges; the nets see inside the orange box."
	}
	p.text(l.exText, words, trainCap, FontRegular, InkMuted, AlignLeft)
	pic := s.pic("pad", s.padVer, func() *image.RGBA {
		x := tensor.FromData(append([]float32(nil), pad.Pix...), pad.C, pad.H, pad.W)
		return mapsInputImage(x)
	})
	p.picture(l.example, pic)
	p.stroke(cropBox(l.example, pad.W), 2, InkWindow)
	for i, ink := range trainInks {
		w, ok := ui.Find(s.widgets, "ink-"+ink.name)
		if !ok {
			continue
		}
		c := color.RGBA{uint8(ink.rgb[0] * 255), uint8(ink.rgb[1] * 255), uint8(ink.rgb[2] * 255), 255}
		p.fill(w.Rect, InkLine)
		p.fillColour(ui.Inset(w.Rect, 2), c)
		if i == s.ink {
			p.stroke(w.Rect, 3, InkAccent)
		}
	}
	d := s.view.Drawn
	drawn := d != nil && len(d.Input.Values) > 0
	c, _ := s.conv()
	boxes := []struct {
		title string
		probs []float32
	}{
		{"Live conv net (" + fcCount(c.Examples) + " examples)", nil},
		{"Linear classifier", nil},
		{"MLP", nil},
		{"Pretrained conv net", nil},
	}
	if drawn {
		boxes[0].probs, boxes[1].probs, boxes[2].probs, boxes[3].probs = d.Conv, d.Linear, d.MLP, d.Pretrained
	}
	if c.Pretrained {
		boxes[0].title = "Live conv net (pretrained loaded)"
	}
	for i, b := range l.guessBoxes {
		if i >= len(boxes) {
			break
		}
		p.text(b.title, boxes[i].title, trainCap, FontBold, InkText, AlignLeft)
		switch {
		case !drawn:
			p.text(image.Rect(b.bars.Min.X, b.bars.Min.Y, b.bars.Max.X, b.bars.Min.Y+trainLine), "Draw on the pad to see its answer.", trainCap, FontRegular, InkMuted, AlignLeft)
		case len(boxes[i].probs) == 0:
			p.text(image.Rect(b.bars.Min.X, b.bars.Min.Y, b.bars.Max.X, b.bars.Min.Y+trainLine), "No pretrained net ships for this data set.", trainCap, FontRegular, InkMuted, AlignLeft)
		default:
			s.paintBars(p, b.bars, boxes[i].probs, -1, 3)
		}
	}
	if drawn {
		s.paintLayers(p, "draw", s.ver.drawn, d.Maps, s.classes(), -1)
	} else {
		p.para(l.maps, "The conv net's activation maps of your drawing appear here, layer by layer.", trainBody, FontRegular, InkMuted)
	}
}
