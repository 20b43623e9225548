/** The example job: sensor readings through a generated layer, one stream per sensor. */
package dev.unroll.flink.example;
