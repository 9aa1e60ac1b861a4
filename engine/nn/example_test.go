package nn

import (
	"fmt"

	"convlab/engine/tensor"
)

// ExampleNet_Ledger prints the ledger of the reference net (the ConvNetJS
// MNIST demo), the table the page shows beside a running network.
func ExampleNet_Ledger() {
	net, err := Build(ReferenceSpec(), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%-22s %-12s %-14s %7s %14s\n", "layer", "output", "weights", "params", "multiply-adds")
	total := 0
	for _, r := range net.Ledger() {
		fmt.Printf("%-22s %-12s %-14s %7d %14d\n", r.Name, tensor.ShapeString(r.Output), tensor.ShapeString(r.Weight), r.Params, r.MultiplyAdds)
		total += r.MultiplyAdds
	}
	fmt.Printf("%d parameters, %d multiply-adds per example\n", net.NumParams(), total)
	// Output:
	// layer                  output       weights         params  multiply-adds
	// conv 5x5 x8, pad 2     8 x 24 x 24  8 x 1 x 5 x 5      208         115200
	// relu                   8 x 24 x 24                       0              0
	// maxpool 2x2, stride 2  8 x 12 x 12                       0              0
	// conv 5x5 x16, pad 2    16 x 12 x 12 16 x 8 x 5 x 5    3216         460800
	// relu                   16 x 12 x 12                      0              0
	// maxpool 3x3, stride 3  16 x 4 x 4                        0              0
	// linear 10              10           10 x 256          2570           2560
	// 5994 parameters, 578560 multiply-adds per example
}
