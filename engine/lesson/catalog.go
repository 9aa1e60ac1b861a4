package lesson

// Info describes one lesson of the page: where it sits in the lecture and
// what it teaches.
type Info struct {
	ID      string // stable id, used in targets ("lesson-<id>"), links and state
	Title   string // the lesson's full title
	Short   string // as the lesson bar shows it, a word or two
	Slides  string // the slides of Lecture 7 it follows, e.g. "12–22, 30–37"
	Teaches string // one paragraph: what a student will see and learn
}

// Catalog lists ConvLab's lessons in the order of Lecture 7.
func Catalog() []Info {
	return []Info{
		{
			ID: "fc-vs-conv", Short: "FC vs. conv", Title: "Fully connected vs. convolution", Slides: "5–11",
			Teaches: "A fully connected layer stretches a 32x32x3 image into 3072 numbers and multiplies " +
				"them by a 10x3072 weight matrix: each output is one dot product with the whole image. " +
				"A convolution layer keeps the image's spatial structure and slides a small filter over it.",
		},
		{
			ID: "sliding-filter", Short: "Sliding filter", Title: "The sliding filter", Slides: "12–22, 30–37",
			Teaches: "Slide a 3x3 filter over a 7x7 input with its ring of zero padding, one click at a time: " +
				"each step writes out the nine products, their sum and the bias. Padding, stride and kernel " +
				"size change the output size by (W − K + 2P)/S + 1.",
		},
		{
			ID: "activation-maps", Short: "Activation maps", Title: "Activation maps", Slides: "16–29",
			Teaches: "A bank of filters over real pictures gives one activation map per filter. See ReLU, " +
				"stack convolutions with the shapes of slide 23, and check that two convolutions without " +
				"a nonlinearity are one larger convolution.",
		},
		{
			ID: "training", Short: "Training", Title: "What filters learn", Slides: "26–29",
			Teaches: "Train a small conv-net live on handwritten digits and watch its first-layer filters turn " +
				"into local templates, beside a linear classifier's one template per class and an MLP's " +
				"whole-image templates.",
		},
		{
			ID: "beyond", Short: "Beyond", Title: "Beyond slide 37", Slides: "after 37",
			Teaches: "Receptive fields, 1x1 convolution, pooling, batch normalization, and a LeNet-5 style " +
				"table built from the running network.",
		},
	}
}

// Index returns the position of the lesson with the given id in Catalog, or -1.
func Index(id string) int {
	for i, l := range Catalog() {
		if l.ID == id {
			return i
		}
	}
	return -1
}
