// Package picture reads a student's own picture file for the
// activation-maps lesson: PNG, JPEG, GIF, WebP, BMP or TIFF, refusing with
// a clear message anything it cannot use, and scaling the rest to the
// lesson's 3 x 32 x 32. It is a package of its own so that only the page
// that offers pictures carries the image decoders (the training worker,
// which imports the lesson package, does not).
package picture

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
	"golang.org/x/image/webp"

	"convlab/engine/lesson"
)

// Limits on a student's picture file. A file is refused before it is
// decoded if it has more bytes than MaxBytes, or if its header declares
// more pixels than MaxPixels (a few hundred bytes of PNG can declare
// 100000 x 100000 pixels, which would need 40 GB to decode), or more
// decoded bytes than maxDecodedBytes (a 16-bit picture takes twice the
// memory of an 8-bit one, so it may have half the pixels).
const (
	MaxBytes        = 20 << 20   // the largest file the page reads
	MaxPixels       = 40_000_000 // the most pixels an 8-bit picture may have
	maxDecodedBytes = 4 * MaxPixels
)

// Side is the side of the square a picture is scaled to.
const Side = lesson.PictureSide

// Formats names the formats Decode reads, as messages say.
const Formats = "PNG, JPEG, GIF, WebP, BMP or TIFF"

// pictureFormat is one image format Decode reads, recognised by the
// first bytes of the file ('?' matches any byte), as image.RegisterFormat
// does. The table is explicit, rather than the image package's registry, so
// what the page accepts does not depend on which packages happen to be
// linked in.
type pictureFormat struct {
	name   string
	magic  []string
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}

// pictureFormats lists the formats Decode reads.
var pictureFormats = []pictureFormat{
	{"PNG", []string{"\x89PNG\r\n\x1a\n"}, png.DecodeConfig, png.Decode},
	{"JPEG", []string{"\xff\xd8"}, jpeg.DecodeConfig, jpeg.Decode},
	{"GIF", []string{"GIF87a", "GIF89a"}, gif.DecodeConfig, gif.Decode},
	{"WebP", []string{"RIFF????WEBPVP8"}, webp.DecodeConfig, webp.Decode},
	{"BMP", []string{"BM????\x00\x00\x00\x00"}, bmp.DecodeConfig, bmp.Decode},
	{"TIFF", []string{"II*\x00", "MM\x00*"}, tiff.DecodeConfig, tiff.Decode},
}

// Decode reads a student's picture file: name is the file's name, size its
// size in bytes as the browser reported it, and b its bytes, or nil when
// the page did not read them (a file larger than MaxBytes is never read).
// It refuses, with a message that starts with the file's name and says
// what to do, an empty or unread file, a file over MaxBytes, a file that is
// not a picture of Formats (naming HEIC, AVIF, SVG and PDF files as such),
// a header declaring too many pixels, and a damaged picture. Otherwise it
// crops the middle square of the picture (turned upright as a JPEG's EXIF
// orientation says), averages it down (or up) to Side x Side pixels, each
// the mean of the square's area it covers, and lays transparent parts on
// white. It never panics.
func Decode(name string, size int64, b []byte) (lesson.UserPicture, error) {
	name = Name(name)
	size = max(size, int64(len(b)))
	switch {
	case size > MaxBytes:
		return lesson.UserPicture{}, fmt.Errorf("%s is %s; pictures up to %s can be used", name, byteSize(size), byteSize(MaxBytes))
	case len(b) == 0 && size > 0:
		return lesson.UserPicture{}, fmt.Errorf("%s could not be read from the computer: try choosing it again", name)
	case len(b) == 0:
		return lesson.UserPicture{}, fmt.Errorf("%s is empty (0 bytes): it holds no picture", name)
	}
	f, ok := sniffPicture(b)
	if !ok {
		return lesson.UserPicture{}, fmt.Errorf("%s is not a picture ConvLab can read: %s", name, notAPicture(b))
	}
	cfg, err := safely(func() (image.Config, error) { return f.config(bytes.NewReader(b)) })
	if err != nil {
		return lesson.UserPicture{}, damaged(name, f.name, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return lesson.UserPicture{}, fmt.Errorf("%s says it is %d x %d pixels: it holds no picture", name, cfg.Width, cfg.Height)
	}
	px := int64(cfg.Width) * int64(cfg.Height)
	bpp := int64(bytesPerPixel(cfg.ColorModel))
	if limit := min(MaxPixels, maxDecodedBytes/bpp); px > limit {
		deep := ""
		if bpp > 4 {
			deep = "16-bit "
		}
		return lesson.UserPicture{}, fmt.Errorf("%s is %d x %d pixels (%s megapixels); %spictures up to %d megapixels can be used",
			name, cfg.Width, cfg.Height, megapixels(px), deep, limit/1_000_000)
	}
	img, err := safely(func() (image.Image, error) { return f.decode(bytes.NewReader(b)) })
	if err != nil {
		return lesson.UserPicture{}, damaged(name, f.name, err)
	}
	r := img.Bounds() // a GIF's first frame may be smaller than its screen
	if r.Empty() {
		return lesson.UserPicture{}, fmt.Errorf("%s holds no pixels", name)
	}
	p := lesson.UserPicture{Name: name, Format: f.name, W: r.Dx(), H: r.Dy(), Pixels: squareOnWhite(img, Side)}
	if f.name == "JPEG" {
		p.Pixels = orient(p.Pixels, Side, exifOrientation(b))
	}
	return p, nil
}

// safely runs a decoder and turns a panic into an error: a decoder fed a
// file crafted to trip it must not stop the page.
func safely[T any](f func() (T, error)) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the decoder failed: %v", r)
		}
	}()
	return f()
}

// damaged explains a decoder's error.
func damaged(name, format string, err error) error {
	why := strings.TrimPrefix(err.Error(), strings.ToLower(format)+": ")
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		why = "it ends too soon"
	}
	return fmt.Errorf("%s looks like a %s file but is damaged (%s): save it again, or try another picture", name, format, why)
}

// sniffPicture returns the format b starts like.
func sniffPicture(b []byte) (pictureFormat, bool) {
	for _, f := range pictureFormats {
		for _, m := range f.magic {
			if magicMatch(m, b) {
				return f, true
			}
		}
	}
	return pictureFormat{}, false
}

func magicMatch(magic string, b []byte) bool {
	if len(b) < len(magic) {
		return false
	}
	for i := range len(magic) {
		if magic[i] != '?' && magic[i] != b[i] {
			return false
		}
	}
	return true
}

// notAPicture says what a file that is not a readable picture seems to be
// and what to use instead.
func notAPicture(b []byte) string {
	use := "use a " + Formats + " file"
	if len(b) >= 12 && string(b[4:8]) == "ftyp" {
		switch string(b[8:12]) {
		case "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1":
			return "it is a HEIC/HEIF photo (as iPhones save them); save or export it as JPEG or PNG, or " + use
		case "avif", "avis":
			return "it is an AVIF picture; save it as PNG or JPEG, or " + use
		}
	}
	head := strings.ToLower(string(b[:min(len(b), 1024)]))
	switch {
	case strings.HasPrefix(head, "%pdf"):
		return "it is a PDF document; " + use
	case strings.Contains(head, "<svg"):
		return "it is an SVG drawing, made of shapes rather than pixels; save it as PNG, or " + use
	}
	return use
}

// bytesPerPixel estimates the memory a decoded picture of colour model m
// takes per pixel (a JPEG's YCbCr at most 3: no chroma subsampling).
func bytesPerPixel(m color.Model) int {
	if _, ok := m.(color.Palette); ok { // a slice: not comparable with the models below
		return 1
	}
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.YCbCrModel:
		return 3
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	}
	return 4
}

// squareOnWhite returns the middle square of img averaged to side x side
// pixels, (3, side, side) bytes, composited over white. Each output pixel
// is the mean of the part of the square it covers: a source pixel that
// straddles two output pixels gives each its share. Rows are read through
// image/draw, which has fast paths for the types the decoders return.
func squareOnWhite(img image.Image, side int) []uint8 {
	b := img.Bounds()
	sq := min(b.Dx(), b.Dy())
	x0, y0 := b.Min.X+(b.Dx()-sq)/2, b.Min.Y+(b.Dy()-sq)/2
	cols, rows := areaSpans(sq, side), areaSpans(sq, side)
	row := image.NewRGBA(image.Rect(0, 0, sq, 1)) // one source row, premultiplied
	acc := make([]float64, 4*side)                // (side, 4): one output row's R, G, B, A sums
	out := make([]uint8, 3*side*side)             // (3, side, side)
	for i, ry := range rows {
		clear(acc)
		for k, wy := range ry.w {
			draw.Draw(row, row.Rect, img, image.Pt(x0, y0+ry.first+k), draw.Src)
			for j, cx := range cols {
				for m, wx := range cx.w {
					p := row.Pix[4*(cx.first+m):]
					w := wy * wx
					acc[4*j] += w * float64(p[0])
					acc[4*j+1] += w * float64(p[1])
					acc[4*j+2] += w * float64(p[2])
					acc[4*j+3] += w * float64(p[3])
				}
			}
		}
		for j := range side {
			white := 255 - acc[4*j+3] // premultiplied colour over white
			for c := range 3 {
				v := math.Round(acc[4*j+c] + white)
				out[(c*side+i)*side+j] = uint8(min(max(v, 0), 255))
			}
		}
	}
	return out
}

// areaSpan is the source pixels one output pixel covers along an axis: from
// first on, with weights that sum to 1 (each the share of the output pixel
// the source pixel covers).
type areaSpan struct {
	first int
	w     []float64
}

// areaSpans divides n source pixels among m output pixels of n/m source
// pixels each.
func areaSpans(n, m int) []areaSpan {
	s := float64(n) / float64(m)
	out := make([]areaSpan, m)
	for j := range out {
		lo, hi := float64(j)*s, float64(j+1)*s
		first := int(math.Floor(lo))
		last := min(int(math.Ceil(hi))-1, n-1)
		sp := areaSpan{first: first}
		for x := first; x <= last; x++ {
			sp.w = append(sp.w, max(0, min(hi, float64(x+1))-max(lo, float64(x)))/s)
		}
		out[j] = sp
	}
	return out
}

// orient turns a (3, side, side) picture as EXIF orientation o (1 to 8)
// says the stored picture is to be shown; other values leave it as it is.
// The middle square of a turned picture is the turned middle square, so
// turning after scaling gives what turning first would.
func orient(pix []uint8, side, o int) []uint8 {
	if o < 2 || o > 8 {
		return pix
	}
	n := side - 1
	out := make([]uint8, len(pix))
	for y := range side {
		for x := range side {
			sx, sy := x, y // the stored pixel shown at (x, y)
			switch o {
			case 2: // mirrored
				sx = n - x
			case 3: // turned half way
				sx, sy = n-x, n-y
			case 4: // mirrored top to bottom
				sy = n - y
			case 5: // mirrored along the diagonal
				sx, sy = y, x
			case 6: // shown turned a quarter clockwise
				sx, sy = y, n-x
			case 7:
				sx, sy = n-y, n-x
			case 8: // shown turned a quarter anticlockwise
				sx, sy = n-y, x
			}
			for c := range 3 {
				out[(c*side+y)*side+x] = pix[(c*side+sy)*side+sx]
			}
		}
	}
	return out
}

// exifOrientation returns the orientation (1 to 8) a JPEG's EXIF block
// gives, or 1 when it gives none or cannot be read.
func exifOrientation(b []byte) int {
	if len(b) < 4 || b[0] != 0xff || b[1] != 0xd8 {
		return 1
	}
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xff {
			return 1
		}
		marker := b[i+1]
		if marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7) {
			i += 2 // markers without a length
			continue
		}
		if marker == 0xda || marker == 0xd9 { // the picture data begins: no EXIF before it
			return 1
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return 1
		}
		seg := b[i+4 : i+2+n]
		if marker == 0xe1 && len(seg) >= 6 && string(seg[:6]) == "Exif\x00\x00" {
			return tiffOrientation(seg[6:])
		}
		i += 2 + n
	}
	return 1
}

// tiffOrientation reads tag 0x0112 (Orientation) of the first directory of
// an EXIF block's TIFF structure.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var order binary.ByteOrder
	switch string(t[:4]) {
	case "II*\x00":
		order = binary.LittleEndian
	case "MM\x00*":
		order = binary.BigEndian
	default:
		return 1
	}
	off := int64(order.Uint32(t[4:]))
	if off+2 > int64(len(t)) {
		return 1
	}
	count := int64(order.Uint16(t[off:]))
	for e := range count {
		at := off + 2 + 12*e
		if at+12 > int64(len(t)) {
			return 1
		}
		tag, typ := order.Uint16(t[at:]), order.Uint16(t[at+2:])
		if tag == 0x0112 && typ == 3 { // SHORT
			if o := int(order.Uint16(t[at+8:])); o >= 1 && o <= 8 {
				return o
			}
			return 1
		}
	}
	return 1
}

// pictureName cleans a file name for messages: no control characters, at
// most 60 characters (the middle cut out), "the file" for none.
func Name(name string) string {
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return -1
		}
		return r
	}, strings.TrimSpace(name))
	rs := []rune(name)
	if len(rs) > 60 {
		name = string(rs[:40]) + "…" + string(rs[len(rs)-19:])
	}
	if name == "" {
		return "the file"
	}
	return name
}

// byteSize writes a number of bytes as people read file sizes: "812
// bytes", "35 KB", "4.2 MB", "48 MB".
func byteSize(n int64) string {
	switch {
	case n < 1<<10:
		return strconv.FormatInt(n, 10) + " bytes"
	case n < 1<<20:
		return strconv.FormatInt((n+1<<9)>>10, 10) + " KB"
	}
	mb := float64(n) / (1 << 20)
	if mb < 10 {
		return strconv.FormatFloat(math.Round(mb*10)/10, 'f', -1, 64) + " MB"
	}
	return strconv.FormatFloat(math.Round(mb), 'f', -1, 64) + " MB"
}

// megapixels writes a pixel count in millions: "48", "12.2", "0.3".
func megapixels(px int64) string {
	mp := float64(px) / 1e6
	if mp >= 100 {
		return strconv.FormatFloat(math.Round(mp), 'f', -1, 64)
	}
	return strconv.FormatFloat(math.Round(mp*10)/10, 'f', -1, 64)
}
