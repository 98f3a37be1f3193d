/// The frame of the report page: styles, the hover-and-zoom script and the self-check element.
/// Everything is inline; the page makes no network request.
enum HTMLPage {
    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(SVGText.escape(title))</title>
        <style>\(style)</style></head>
        <body><h1>\(SVGText.escape(title))</h1>
        \(body)
        <div id="tip"></div>
        <pre id="report-check" hidden></pre>
        <script>\(script)</script>
        </body></html>

        """
    }

    /// Initial axis labels of a stream (the script redraws them on zoom).
    static func axisLabels(end: Double) -> String {
        var html = ""
        guard end > 0 else { return html }
        for tick in SVGText.ticks(maximum: end, target: 8) {
            html += "<span style=\"left:\(SVGText.number(tick / end * 100, digits: 3))%\">\(SVGText.escape(SVGText.seconds(tick)))</span>"
        }
        return html
    }

    static let style = """
        body{font:13px/1.4 system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:16px 24px;color:#222;max-width:1400px}
        h1{font-size:20px}h2{font-size:16px;margin-top:28px;border-bottom:1px solid #ddd}h3{font-size:14px}
        table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #ddd;padding:2px 8px;text-align:left}
        td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}table.summary th{text-align:left;font-weight:normal}th{background:#f4f4f4}
        .note{color:#666}.chart{width:100%;height:auto;display:block}
        .lbl{font-size:11px;fill:#444}.grid{stroke:#eee}.axis{stroke:#999}
        .stream{display:grid;grid-template-columns:120px 1fr;margin:4px 0 12px}
        .stream svg.labels{width:120px;display:block}.stream svg.plot{width:100%;display:block;cursor:grab;background:#fff;border:1px solid #eee}
        .stream .taxis{grid-column:2;position:relative;height:18px;overflow:hidden}
        .stream .taxis span{position:absolute;transform:translateX(-50%);font-size:11px;color:#444;white-space:nowrap}.stream .taxis span:first-child{transform:none}
        td{max-width:28em;overflow-wrap:anywhere}
        .stream svg.axis{display:none}
        rect.bg{fill:#f6f6f6}rect.t{fill:\(Palette.transfer);fill-opacity:.45}path.u{fill:#1f77b4;fill-opacity:.8}
        \(Palette.prefixes.enumerated().map { "rect.p\($0.offset){fill:\($0.element)}" }.joined())
        .legend{margin:2px 0 8px 80px}.legend span{margin-right:14px;white-space:nowrap}
        .legend i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle}
        #tip{position:absolute;display:none;background:#fffffa;border:1px solid #999;padding:4px 8px;pointer-events:none;font-size:12px;box-shadow:1px 1px 4px #0003;max-width:480px;z-index:10}
        """

    /// Hover shows a bar's data; the wheel zooms the time axis, dragging pans, a double click
    /// resets. Plots with the same `data-sync` move together. At the end the script writes what
    /// it drew into #report-check, which the browser test reads.
    static let script = #"""
        (function(){
        "use strict";
        var errors=0;window.addEventListener("error",function(){errors++;});
        function sec(s){var a=Math.abs(s);if(a===0)return"0 s";if(a<1e-3)return(s*1e6).toFixed(1)+" µs";if(a<1)return(s*1e3).toFixed(1)+" ms";if(a<120)return s.toFixed(3)+" s";if(a<7200)return(s/60).toFixed(2)+" min";return(s/3600).toFixed(2)+" h";}
        function bytes(b){var u=["B","KiB","MiB","GiB","TiB"],i=0;while(Math.abs(b)>=1024&&i<u.length-1){b/=1024;i++;}return(i?b.toFixed(1):b)+" "+u[i];}
        function esc(t){return String(t).replace(/[&<>"]/g,function(c){return{"&":"&amp;","<":"&lt;",">":"&gt;","\"":"&quot;"}[c];});}
        function describe(d){
          if(d[0]==="task")return"<b>"+esc(d[1])+"</b><br>prefix "+esc(d[2])+"<br>"+esc(d[3])+" thread "+d[4]+"<br>start "+sec(d[5])+", end "+sec(d[6])+" ("+sec(d[6]-d[5])+")<br>output "+bytes(d[7])+(d[8]?"<br>state "+esc(d[8]):"")+(d[9]>1?"<br>attempts "+d[9]:"");
          return"<b>transfer</b> "+esc(d[1])+"<br>"+esc(d[2])+" → "+esc(d[3])+" (thread "+d[4]+")<br>start "+sec(d[5])+", end "+sec(d[6])+" ("+sec(d[6]-d[5])+")<br>"+bytes(d[7]);
        }
        var tip=document.getElementById("tip");
        function hide(){tip.style.display="none";}
        var streams=document.querySelectorAll(".stream");
        Array.prototype.forEach.call(streams,function(st){
          var holder=st.querySelector("script.bars"),data=holder?JSON.parse(holder.textContent):[];
          var plot=st.querySelector("svg.plot");
          plot.addEventListener("mousemove",function(e){
            var t=e.target,i=t.getAttribute&&t.getAttribute("data-i");
            if(i===null||i===undefined||!data[+i]){hide();return;}
            tip.innerHTML=describe(data[+i]);tip.style.display="block";
            tip.style.left=(e.pageX+14)+"px";tip.style.top=(e.pageY+14)+"px";
          });
          plot.addEventListener("mouseleave",hide);
        });
        var groups={};
        Array.prototype.forEach.call(streams,function(st){
          var plot=st.querySelector("svg.plot"),g=plot.getAttribute("data-sync");
          if(!groups[g])groups[g]={x0:0,w:1000,members:[]};
          var vb=plot.getAttribute("viewBox").split(" ");
          groups[g].members.push({plot:plot,h:vb[3],end:+st.getAttribute("data-end"),axis:st.querySelector(".taxis")});
          plot.__group=groups[g];
        });
        function ticks(a,b){var span=b-a;if(!(span>0))return[];var rough=span/8,p=Math.pow(10,Math.floor(Math.log10(rough))),steps=[1,2,2.5,5,10],step=10*p;
          for(var k=0;k<steps.length;k++){if(steps[k]*p>=rough){step=steps[k]*p;break;}}var out=[],t=Math.ceil(a/step)*step;while(t<=b+1e-12&&out.length<60){out.push(t);t+=step;}return out;}
        function apply(g){g.members.forEach(function(m){
          m.plot.setAttribute("viewBox",g.x0+" 0 "+g.w+" "+m.h);
          if(!m.axis||!(m.end>0))return;
          var a=g.x0/1000*m.end,b=(g.x0+g.w)/1000*m.end,html="";
          ticks(a,b).forEach(function(t){html+="<span style=\"left:"+((t-a)/(b-a)*100)+"%\">"+sec(t)+"</span>";});
          m.axis.innerHTML=html;});}
        function clamp(g){g.w=Math.min(1000,Math.max(0.05,g.w));g.x0=Math.min(1000-g.w,Math.max(0,g.x0));}
        Object.keys(groups).forEach(function(k){var g=groups[k];g.members.forEach(function(m){
          var drag=null;
          m.plot.addEventListener("wheel",function(e){e.preventDefault();var r=m.plot.getBoundingClientRect(),f=(e.clientX-r.left)/r.width,t=g.x0+f*g.w;
            g.w=g.w*(e.deltaY<0?0.8:1.25);clamp(g);g.x0=t-f*g.w;clamp(g);apply(g);},{passive:false});
          m.plot.addEventListener("mousedown",function(e){drag={x:e.clientX,x0:g.x0};});
          window.addEventListener("mouseup",function(){drag=null;});
          m.plot.addEventListener("mousemove",function(e){if(!drag)return;var r=m.plot.getBoundingClientRect();g.x0=drag.x0-(e.clientX-drag.x)/r.width*g.w;clamp(g);apply(g);});
          m.plot.addEventListener("dblclick",function(){g.x0=0;g.w=1000;apply(g);});
        });});
        var check=document.getElementById("report-check"),lanes=[],bars=[];
        Array.prototype.forEach.call(streams,function(st){lanes.push(st.querySelectorAll("g.lane").length);bars.push(st.querySelectorAll("rect.b").length);});
        check.setAttribute("data-streams",String(streams.length));
        check.setAttribute("data-lanes",lanes.join(","));
        check.setAttribute("data-bars",bars.join(","));
        check.setAttribute("data-task-bars",String(document.querySelectorAll(".stream rect.b:not(.t)").length));
        check.setAttribute("data-transfer-bars",String(document.querySelectorAll(".stream rect.t").length));
        check.setAttribute("data-aggregated",String(document.querySelectorAll(".stream path.u").length));
        check.setAttribute("data-charts",String(document.querySelectorAll("svg.chart").length));
        check.setAttribute("data-errors",String(errors));
        check.setAttribute("data-done","yes");
        })();
        """#
}
