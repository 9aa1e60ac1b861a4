package lesson

import (
	"fmt"
	"unicode/utf8"
)

// PictureSide is the side of the square a student's own picture is scaled
// to: it is the input as 3 x PictureSide x PictureSide.
const PictureSide = 32

// UserPicture is a student's own picture, ready to be the lesson's input:
// the middle square of the picture in their file scaled to PictureSide x
// PictureSide, transparent parts on white (engine/lesson/picture reads
// files into it).
type UserPicture struct {
	Name   string  // the file's name, as the student's computer gave it (cleaned for display)
	Format string  // "PNG", "JPEG", ...
	W, H   int     // the picture's size in the file, in pixels
	Pixels []uint8 // (3, PictureSide, PictureSide): value·255; channel c, row y, column x at (c*PictureSide+y)*PictureSide+x
}

// Refuse records a refusal made outside the model, such as a picture file
// that could not be read: Message says err, nothing else changes. It
// returns err.
func (m *Maps) Refuse(err error) error { return m.edited(err) }

// SetPicture makes p the student's own picture, in place of any before it,
// and the input. It refuses a picture that is not 3 x PictureSide x
// PictureSide, changing nothing.
func (m *Maps) SetPicture(p UserPicture) error {
	if err := p.check(); err != nil {
		return m.edited(err)
	}
	p.Pixels = append([]uint8(nil), p.Pixels...)
	m.upload = &p
	return m.SetInput(Upload)
}

// Picture returns the student's own picture, if there is one. Its Pixels
// belong to the model: read them only.
func (m *Maps) Picture() (UserPicture, bool) {
	if m.upload == nil {
		return UserPicture{}, false
	}
	return *m.upload, true
}

// check validates a picture kept in settings or handed to SetPicture.
func (p *UserPicture) check() error {
	switch {
	case len(p.Pixels) != 3*PictureSide*PictureSide:
		return fmt.Errorf("a picture of %d values is not 3 x %d x %d", len(p.Pixels), PictureSide, PictureSide)
	case len(p.Name) > 256 || !utf8.ValidString(p.Name):
		return fmt.Errorf("a picture's name of %d bytes is too long or not text", len(p.Name))
	case len(p.Format) > 8:
		return fmt.Errorf("a picture format of %d bytes is not a format", len(p.Format))
	case p.W < 0 || p.H < 0 || p.W > 1<<20 || p.H > 1<<20:
		return fmt.Errorf("a picture of %d x %d pixels", p.W, p.H)
	}
	return nil
}

// UploadState is the student's own picture as state() reports it.
type UploadState struct {
	Name   string `json:"name"`
	Format string `json:"format"`
	Width  int    `json:"width"`  // in the file, before cropping and scaling
	Height int    `json:"height"` //
}
