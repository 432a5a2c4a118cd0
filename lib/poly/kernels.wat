;; Hot loops of the polynomial blocks (terms-major: block[t * units + j]) in WebAssembly with
;; 128-bit SIMD (two f64 lanes). Pointers are byte offsets into the exported memory.
;; Source of lib/poly/kernels_wasm.ts (regenerate with `deno run -A tools/build_wasm.ts`).
(module
  (memory (export "memory") 1)

  ;; out[t, j] = [t = 0] W[0, j] + sum_i Y[t, i] W[i + 1, j], for t < terms, j < units.
  ;; 4 terms x 4 units register blocks: eight f64x2 accumulators, no store in the inner loop.
  ;; The weights come packed (see WasmBlocks.affine): $P holds W[1:, j..j+3] as contiguous panels
  ;; (panel j/4: inputs rows of 4 doubles), then the leftover columns j >= units & ~3 as R[i * r + k];
  ;; $bias holds W[0, :]. The inner loops read memory sequentially.
  (func (export "affine")
    (param $Y i32) (param $inputs i32) (param $bias i32) (param $units i32) (param $terms i32) (param $out i32)
    (param $P i32)
    (local $t i32) (local $j i32) (local $i i32) (local $t4 i32) (local $j4 i32)
    (local $rowBytes i32) (local $yStride i32)
    (local $y0 i32) (local $y1 i32) (local $y2 i32) (local $y3 i32) (local $w i32) (local $o i32)
    (local $a0 v128) (local $a1 v128) (local $b0 v128) (local $b1 v128)
    (local $c0 v128) (local $c1 v128) (local $d0 v128) (local $d1 v128)
    (local $w0 v128) (local $w1 v128) (local $s v128) (local $acc f64) (local $yEnd i32)
    (local.set $rowBytes (i32.shl (local.get $units) (i32.const 3)))
    (local.set $yStride (i32.shl (local.get $inputs) (i32.const 3)))
    (local.set $t4 (i32.and (local.get $terms) (i32.const -4)))
    (local.set $j4 (i32.and (local.get $units) (i32.const -4)))
    (local.set $t (i32.const 0))
    (block $tDone
      (loop $tLoop
        (br_if $tDone (i32.ge_u (local.get $t) (local.get $t4)))
        (local.set $y0 (i32.add (local.get $Y) (i32.mul (local.get $t) (local.get $yStride))))
        (local.set $y1 (i32.add (local.get $y0) (local.get $yStride)))
        (local.set $y2 (i32.add (local.get $y1) (local.get $yStride)))
        (local.set $y3 (i32.add (local.get $y2) (local.get $yStride)))
        (local.set $j (i32.const 0))
        (block $jDone
          (loop $jLoop
            (br_if $jDone (i32.ge_u (local.get $j) (local.get $j4)))
            (local.set $a0 (v128.const f64x2 0 0)) (local.set $a1 (v128.const f64x2 0 0))
            (local.set $b0 (v128.const f64x2 0 0)) (local.set $b1 (v128.const f64x2 0 0))
            (local.set $c0 (v128.const f64x2 0 0)) (local.set $c1 (v128.const f64x2 0 0))
            (local.set $d0 (v128.const f64x2 0 0)) (local.set $d1 (v128.const f64x2 0 0))
            ;; w points at the panel of columns j..j+3
            (local.set $w (i32.add (local.get $P) (i32.mul (i32.shl (local.get $j) (i32.const 3)) (local.get $inputs))))
            (local.set $i (i32.const 0))
            (local.set $yEnd (local.get $yStride))
            (block $iDone
              (loop $iLoop
                (br_if $iDone (i32.ge_u (local.get $i) (local.get $yEnd)))
                (local.set $w0 (v128.load (local.get $w)))
                (local.set $w1 (v128.load offset=16 (local.get $w)))
                (local.set $s (f64x2.splat (f64.load (i32.add (local.get $y0) (local.get $i)))))
                (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $s) (local.get $w0))))
                (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $s) (local.get $w1))))
                (local.set $s (f64x2.splat (f64.load (i32.add (local.get $y1) (local.get $i)))))
                (local.set $b0 (f64x2.add (local.get $b0) (f64x2.mul (local.get $s) (local.get $w0))))
                (local.set $b1 (f64x2.add (local.get $b1) (f64x2.mul (local.get $s) (local.get $w1))))
                (local.set $s (f64x2.splat (f64.load (i32.add (local.get $y2) (local.get $i)))))
                (local.set $c0 (f64x2.add (local.get $c0) (f64x2.mul (local.get $s) (local.get $w0))))
                (local.set $c1 (f64x2.add (local.get $c1) (f64x2.mul (local.get $s) (local.get $w1))))
                (local.set $s (f64x2.splat (f64.load (i32.add (local.get $y3) (local.get $i)))))
                (local.set $d0 (f64x2.add (local.get $d0) (f64x2.mul (local.get $s) (local.get $w0))))
                (local.set $d1 (f64x2.add (local.get $d1) (f64x2.mul (local.get $s) (local.get $w1))))
                (local.set $w (i32.add (local.get $w) (i32.const 32)))
                (local.set $i (i32.add (local.get $i) (i32.const 8)))
                (br $iLoop)))
            (local.set $o (i32.add (local.get $out)
              (i32.shl (i32.add (i32.mul (local.get $t) (local.get $units)) (local.get $j)) (i32.const 3))))
            (v128.store (local.get $o) (local.get $a0))
            (v128.store offset=16 (local.get $o) (local.get $a1))
            (local.set $o (i32.add (local.get $o) (local.get $rowBytes)))
            (v128.store (local.get $o) (local.get $b0))
            (v128.store offset=16 (local.get $o) (local.get $b1))
            (local.set $o (i32.add (local.get $o) (local.get $rowBytes)))
            (v128.store (local.get $o) (local.get $c0))
            (v128.store offset=16 (local.get $o) (local.get $c1))
            (local.set $o (i32.add (local.get $o) (local.get $rowBytes)))
            (v128.store (local.get $o) (local.get $d0))
            (v128.store offset=16 (local.get $o) (local.get $d1))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $jLoop)))
        (local.set $t (i32.add (local.get $t) (i32.const 4)))
        (br $tLoop)))
    ;; leftover rows (t >= t4), columns j < j4: one term at a time against the panels
    (local.set $t (local.get $t4))
    (block $rDone
      (loop $rLoop
        (br_if $rDone (i32.ge_u (local.get $t) (local.get $terms)))
        (local.set $y0 (i32.add (local.get $Y) (i32.mul (local.get $t) (local.get $yStride))))
        (local.set $j (i32.const 0))
        (block $rjDone
          (loop $rjLoop
            (br_if $rjDone (i32.ge_u (local.get $j) (local.get $j4)))
            (local.set $a0 (v128.const f64x2 0 0)) (local.set $a1 (v128.const f64x2 0 0))
            (local.set $w (i32.add (local.get $P) (i32.mul (i32.shl (local.get $j) (i32.const 3)) (local.get $inputs))))
            (local.set $i (i32.const 0))
            (block $riDone
              (loop $riLoop
                (br_if $riDone (i32.ge_u (local.get $i) (local.get $yStride)))
                (local.set $s (f64x2.splat (f64.load (i32.add (local.get $y0) (local.get $i)))))
                (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $s) (v128.load (local.get $w)))))
                (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $s) (v128.load offset=16 (local.get $w)))))
                (local.set $w (i32.add (local.get $w) (i32.const 32)))
                (local.set $i (i32.add (local.get $i) (i32.const 8)))
                (br $riLoop)))
            (local.set $o (i32.add (local.get $out)
              (i32.shl (i32.add (i32.mul (local.get $t) (local.get $units)) (local.get $j)) (i32.const 3))))
            (v128.store (local.get $o) (local.get $a0))
            (v128.store offset=16 (local.get $o) (local.get $a1))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $rjLoop)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $rLoop)))
    ;; leftover columns (j >= j4) of every row, from R[i * r + k] after the panels
    (if (i32.lt_u (local.get $j4) (local.get $units))
      (then
        (local.set $yEnd (i32.sub (local.get $units) (local.get $j4)))
        (local.set $o (i32.add (local.get $P) (i32.mul (i32.shl (local.get $j4) (i32.const 3)) (local.get $inputs))))
        (local.set $t (i32.const 0))
        (block $eDone
          (loop $eLoop
            (br_if $eDone (i32.ge_u (local.get $t) (local.get $terms)))
            (local.set $y0 (i32.add (local.get $Y) (i32.mul (local.get $t) (local.get $yStride))))
            (local.set $j (i32.const 0))
            (block $ejDone
              (loop $ejLoop
                (br_if $ejDone (i32.ge_u (local.get $j) (local.get $yEnd)))
                (local.set $acc (f64.const 0))
                (local.set $w (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 3))))
                (local.set $i (i32.const 0))
                (block $eiDone
                  (loop $eiLoop
                    (br_if $eiDone (i32.ge_u (local.get $i) (local.get $yStride)))
                    (local.set $acc (f64.add (local.get $acc)
                      (f64.mul (f64.load (i32.add (local.get $y0) (local.get $i))) (f64.load (local.get $w)))))
                    (local.set $w (i32.add (local.get $w) (i32.shl (local.get $yEnd) (i32.const 3))))
                    (local.set $i (i32.add (local.get $i) (i32.const 8)))
                    (br $eiLoop)))
                (f64.store (i32.add (local.get $out)
                  (i32.shl (i32.add (i32.mul (local.get $t) (local.get $units)) (i32.add (local.get $j4) (local.get $j)))
                    (i32.const 3)))
                  (local.get $acc))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $ejLoop)))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $eLoop)))))
    ;; bias on the constant term
    (local.set $j (i32.const 0))
    (block $bDone
      (loop $bLoop
        (br_if $bDone (i32.ge_u (local.get $j) (local.get $rowBytes)))
        (f64.store (i32.add (local.get $out) (local.get $j))
          (f64.add (f64.load (i32.add (local.get $out) (local.get $j)))
                   (f64.load (i32.add (local.get $bias) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $bLoop))))

  ;; out[c] += (f * (A[a] * B[b])) * S (rows of `units`, S a per-unit scale) for every table pair
  ;; (a, b) with a in [aStart, aEnd) and b in [bBegin, bEnd(deg a)), c = product[rowStart[a] - first + b].
  ;; With $sym = 1, B = A, bBegin = a and f = 2 for b != a (the symmetric square); else bBegin = first
  ;; and f = 1. Rows of A that are all zero are skipped.
  (func (export "mulPairs")
    (param $out i32) (param $A i32) (param $aStart i32) (param $aEnd i32) (param $B i32) (param $first i32)
    (param $units i32) (param $rowStart i32) (param $product i32) (param $degree i32) (param $bEndByDeg i32)
    (param $sym i32) (param $S i32)
    (local $a i32) (local $b i32) (local $bBegin i32) (local $bEnd i32) (local $ao i32) (local $bo i32)
    (local $co i32) (local $row i32) (local $j i32) (local $rowBytes i32) (local $j2 i32) (local $nz i32)
    (local $f v128) (local $fs f64)
    (local.set $rowBytes (i32.shl (local.get $units) (i32.const 3)))
    (local.set $j2 (i32.shl (i32.and (local.get $units) (i32.const -2)) (i32.const 3)))
    (local.set $a (local.get $aStart))
    (block $aDone
      (loop $aLoop
        (br_if $aDone (i32.ge_u (local.get $a) (local.get $aEnd)))
        (local.set $bEnd (i32.load (i32.add (local.get $bEndByDeg)
          (i32.shl (i32.load8_u (i32.add (local.get $degree) (local.get $a))) (i32.const 2)))))
        (local.set $bBegin (select (local.get $a) (local.get $first) (local.get $sym)))
        (local.set $ao (i32.add (local.get $A) (i32.mul (local.get $a) (local.get $rowBytes))))
        ;; skip all-zero rows of A
        (local.set $nz (i32.const 0))
        (local.set $j (i32.const 0))
        (block $zDone
          (loop $zLoop
            (br_if $zDone (i32.ge_u (local.get $j) (local.get $rowBytes)))
            (if (f64.ne (f64.load (i32.add (local.get $ao) (local.get $j))) (f64.const 0))
              (then (local.set $nz (i32.const 1)) (br $zDone)))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $zLoop)))
        (if (i32.and (local.get $nz) (i32.lt_u (local.get $bBegin) (local.get $bEnd)))
          (then
            (local.set $row (i32.sub (i32.load (i32.add (local.get $rowStart) (i32.shl (local.get $a) (i32.const 2))))
                                     (local.get $first)))
            (local.set $b (local.get $bBegin))
            (block $bDone
              (loop $bLoop
                (br_if $bDone (i32.ge_u (local.get $b) (local.get $bEnd)))
                (local.set $co (i32.add (local.get $out) (i32.mul
                  (i32.load (i32.add (local.get $product) (i32.shl (i32.add (local.get $row) (local.get $b)) (i32.const 2))))
                  (local.get $rowBytes))))
                (local.set $bo (i32.add (local.get $B) (i32.mul (local.get $b) (local.get $rowBytes))))
                (local.set $fs (select (f64.const 2) (f64.const 1)
                  (i32.and (local.get $sym) (i32.ne (local.get $a) (local.get $b)))))
                (local.set $f (f64x2.splat (local.get $fs)))
                (local.set $j (i32.const 0))
                (block $jDone
                  (loop $jLoop
                    (br_if $jDone (i32.ge_u (local.get $j) (local.get $j2)))
                    (v128.store (i32.add (local.get $co) (local.get $j))
                      (f64x2.add (v128.load (i32.add (local.get $co) (local.get $j)))
                        (f64x2.mul
                          (f64x2.mul (local.get $f)
                            (f64x2.mul (v128.load (i32.add (local.get $ao) (local.get $j)))
                                       (v128.load (i32.add (local.get $bo) (local.get $j)))))
                          (v128.load (i32.add (local.get $S) (local.get $j))))))
                    (local.set $j (i32.add (local.get $j) (i32.const 16)))
                    (br $jLoop)))
                (if (i32.lt_u (local.get $j2) (local.get $rowBytes))
                  (then
                    (f64.store (i32.add (local.get $co) (local.get $j2))
                      (f64.add (f64.load (i32.add (local.get $co) (local.get $j2)))
                        (f64.mul
                          (f64.mul (local.get $fs)
                            (f64.mul (f64.load (i32.add (local.get $ao) (local.get $j2)))
                                     (f64.load (i32.add (local.get $bo) (local.get $j2)))))
                          (f64.load (i32.add (local.get $S) (local.get $j2))))))))
                (local.set $b (i32.add (local.get $b) (i32.const 1)))
                (br $bLoop)))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $aLoop))))

  ;; out[t, j] += d[j] * A[t, j] for t < terms.
  (func (export "axpy")
    (param $out i32) (param $d i32) (param $A i32) (param $units i32) (param $terms i32)
    (local $t i32) (local $j i32) (local $rowBytes i32) (local $j2 i32) (local $o i32)
    (local.set $rowBytes (i32.shl (local.get $units) (i32.const 3)))
    (local.set $j2 (i32.shl (i32.and (local.get $units) (i32.const -2)) (i32.const 3)))
    (local.set $t (i32.const 0))
    (block $tDone
      (loop $tLoop
        (br_if $tDone (i32.ge_u (local.get $t) (local.get $terms)))
        (local.set $o (i32.mul (local.get $t) (local.get $rowBytes)))
        (local.set $j (i32.const 0))
        (block $jDone
          (loop $jLoop
            (br_if $jDone (i32.ge_u (local.get $j) (local.get $j2)))
            (v128.store (i32.add (local.get $out) (i32.add (local.get $o) (local.get $j)))
              (f64x2.add (v128.load (i32.add (local.get $out) (i32.add (local.get $o) (local.get $j))))
                (f64x2.mul (v128.load (i32.add (local.get $d) (local.get $j)))
                           (v128.load (i32.add (local.get $A) (i32.add (local.get $o) (local.get $j)))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $jLoop)))
        (if (i32.lt_u (local.get $j2) (local.get $rowBytes))
          (then
            (f64.store (i32.add (local.get $out) (i32.add (local.get $o) (local.get $j2)))
              (f64.add (f64.load (i32.add (local.get $out) (i32.add (local.get $o) (local.get $j2))))
                (f64.mul (f64.load (i32.add (local.get $d) (local.get $j2)))
                         (f64.load (i32.add (local.get $A) (i32.add (local.get $o) (local.get $j2)))))))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $tLoop))))
)
