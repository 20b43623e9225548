/** Unroll's descriptor annotations. No dependencies. */
module dev.unroll.annotations {
    exports dev.unroll.annotations;
}
