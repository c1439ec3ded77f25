# Write and read latency against row count: nudge, floor (a), taskwarrior.
# gnuplot -c bench/plot.gp DATAFILE OUT.png  (DATAFILE from bench/run.py:
# rows, then median p10 p90 for write floor, nudge, task; read the same).
data = ARG1
set terminal pngcairo size 1100,480 font "sans,10"
set output ARG2
set multiplot layout 1,2 title "nudge vs floor (a) vs taskwarrior: whole-process wall time (median, bars p10-p90)"
set logscale y
set ylabel "ms"
set xlabel "rows (nudge: promises + as many follow-ups; taskwarrior: tasks)"
set grid ytics mytics
set key top left
set offsets 0.3, 0.3, 0, 0
set style data linespoints
set title "write: promise add / floor insert / task add"
plot data using 0:5:6:7:xtic(1) with yerrorlines lw 2 pt 7 title "nudge promise add", \
     data using 0:2:3:4 with yerrorlines lw 2 pt 5 title "floor (a): insert + fsync", \
     data using 0:8:9:10 with yerrorlines lw 2 pt 9 title "task add"
set title "read: agenda / floor indexed select / task next"
plot data using 0:14:15:16:xtic(1) with yerrorlines lw 2 pt 7 title "nudge agenda", \
     data using 0:11:12:13 with yerrorlines lw 2 pt 5 title "floor (a): indexed select", \
     data using 0:17:18:19 with yerrorlines lw 2 pt 9 title "task next"
unset multiplot
