var e,t,n,r,i,a,o,s,c,l,u,d,f,p,m={},h=[],g=/acit|ex(?:s|g|n|p|$)|rph|grid|ows|mnc|ntw|ine[ch]|zoo|^ord|itera/i,_=Array.isArray;function v(e,t){for(var n in t)e[n]=t[n];return e}function y(e){e&&e.parentNode&&e.parentNode.removeChild(e)}function b(t,n,r){var i,a,o,s={};for(o in n)o==`key`?i=n[o]:o==`ref`?a=n[o]:s[o]=n[o];if(arguments.length>2&&(s.children=arguments.length>3?e.call(arguments,2):r),typeof t==`function`&&t.defaultProps!=null)for(o in t.defaultProps)s[o]===void 0&&(s[o]=t.defaultProps[o]);return x(t,s,i,a,null)}function x(e,r,i,a,o){var s={type:e,props:r,key:i,ref:a,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:o??++n,__i:-1,__u:0};return o==null&&t.vnode!=null&&t.vnode(s),s}function S(e){return e.children}function C(e,t){this.props=e,this.context=t}function w(e,t){if(t==null)return e.__?w(e.__,e.__i+1):null;for(var n;t<e.__k.length;t++)if((n=e.__k[t])!=null&&n.__e!=null)return n.__e;return typeof e.type==`function`?w(e):null}function ee(e){if(e.__P&&e.__d){var n=e.__v,r=n.__e,i=[],a=[],o=v({},n);o.__v=n.__v+1,t.vnode&&t.vnode(o),se(e.__P,o,n,e.__n,e.__P.namespaceURI,32&n.__u?[r]:null,i,r??w(n),!!(32&n.__u),a),o.__v=n.__v,o.__.__k[o.__i]=o,le(i,o,a),n.__e=n.__=null,o.__e!=r&&T(o)}}function T(e){if((e=e.__)!=null&&e.__c!=null)return e.__e=e.__c.base=null,e.__k.some(function(t){if(t!=null&&t.__e!=null)return e.__e=e.__c.base=t.__e}),T(e)}function E(e){(!e.__d&&(e.__d=!0)&&r.push(e)&&!D.__r++||i!=t.debounceRendering)&&((i=t.debounceRendering)||a)(D)}function D(){try{for(var e,t=1;r.length;)r.length>t&&r.sort(o),e=r.shift(),t=r.length,ee(e)}finally{r.length=D.__r=0}}function te(e,t,n,r,i,a,o,s,c,l,u){var d,f,p,g,_,v,y=r&&r.__k||h,b=t.length;for(c=ne(n,t,y,c,b),d=0;d<b;d++)(p=n.__k[d])!=null&&(f=p.__i!=-1&&y[p.__i]||m,p.__i=d,v=se(e,p,f,i,a,o,s,c,l,u),g=p.__e,p.ref&&f.ref!=p.ref&&(f.ref&&fe(f.ref,null,p),u.push(p.ref,p.__c||g,p)),_==null&&g!=null&&(_=g),4&p.__u?(c=re(p,c,e),f.__e&&(f.__e=null)):typeof p.type==`function`&&v!==void 0?c=v:g&&(c=g.nextSibling),p.__u&=-7);return n.__e=_,c}function ne(e,t,n,r,i){var a,o,s,c,l,u=n.length,d=u,f=0;for(e.__k=Array(i),a=0;a<i;a++)(o=t[a])!=null&&typeof o!=`boolean`&&typeof o!=`function`?(typeof o==`string`||typeof o==`number`||typeof o==`bigint`||o.constructor==String?o=e.__k[a]=x(null,o,null,null,null):_(o)?o=e.__k[a]=x(S,{children:o},null,null,null):o.constructor===void 0&&o.__b>0?o=e.__k[a]=x(o.type,o.props,o.key,o.ref?o.ref:null,o.__v):e.__k[a]=o,c=a+f,o.__=e,o.__b=e.__b+1,s=null,(l=o.__i=ie(o,n,c,d))!=-1&&(d--,(s=n[l])&&(s.__u|=2)),s==null||s.__v==null?(l==-1&&(i>u?f--:i<u&&f++),typeof o.type!=`function`&&(o.__u|=4)):l!=c&&(l==c-1?f--:l==c+1?f++:(l>c?f--:f++,o.__u|=4))):e.__k[a]=null;if(d)for(a=0;a<u;a++)(s=n[a])!=null&&!(2&s.__u)&&(s.__e==r&&(r=w(s)),pe(s,s));return r}function re(e,t,n){var r,i;if(typeof e.type==`function`){for(r=e.__k,i=0;r&&i<r.length;i++)r[i]&&(r[i].__=e,t=re(r[i],t,n));return t}e.__e!=t&&(t&&e.type&&!t.parentNode&&(t=w(e)),t=n.insertBefore(e.__e,t||null));do t&&=t.nextSibling;while(t!=null&&t.nodeType==8);return t}function ie(e,t,n,r){var i,a,o,s=e.key,c=e.type,l=t[n],u=l!=null&&!(2&l.__u);if(l===null&&s==null||u&&s==l.key&&c==l.type)return n;if(r>+!!u){for(i=n-1,a=n+1;i>=0||a<t.length;)if((l=t[o=i>=0?i--:a++])!=null&&!(2&l.__u)&&s==l.key&&c==l.type)return o}return-1}function ae(e,t,n){t[0]==`-`?e.setProperty(t,n??``):e[t]=n==null?``:typeof n!=`number`||g.test(t)?n:n+`px`}function oe(e,t,n,r,i){var a,o;n:if(t==`style`){if(typeof n==`string`)e.style.cssText=n;else{if(typeof r==`string`&&(e.style.cssText=r=``),r)for(t in r)n&&t in n||ae(e.style,t,``);if(n)for(t in n)r&&n[t]==r[t]||ae(e.style,t,n[t])}}else if(t[0]==`o`&&t[1]==`n`)a=t!=(t=t.replace(u,`$1`)),o=t.toLowerCase(),t=o in e||t==`onFocusOut`||t==`onFocusIn`?o.slice(2):t.slice(2),e.l||={},e.l[t+a]=n,n?r?n[l]=r[l]:(n[l]=d,e.addEventListener(t,a?p:f,a)):e.removeEventListener(t,a?p:f,a);else{if(i==`http://www.w3.org/2000/svg`)t=t.replace(/xlink(H|:h)/,`h`).replace(/sName$/,`s`);else if(t!=`width`&&t!=`height`&&t!=`href`&&t!=`list`&&t!=`form`&&t!=`tabIndex`&&t!=`download`&&t!=`rowSpan`&&t!=`colSpan`&&t!=`role`&&t!=`popover`&&t in e)try{e[t]=n??``;break n}catch{}typeof n==`function`||(n==null||!1===n&&t[4]!=`-`?e.removeAttribute(t):e.setAttribute(t,t==`popover`&&n==1?``:n))}}function O(e){return function(n){if(this.l){var r=this.l[n.type+e];if(n[c]==null)n[c]=d++;else if(n[c]<r[l])return;return r(t.event?t.event(n):n)}}}function se(e,n,r,i,a,o,s,c,l,u){var d,f,p,m,g,b,x,ee,T,E,D,ne,re,ie,ae,oe,O=n.type;if(n.constructor!==void 0)return null;128&r.__u&&(l=!!(32&r.__u),o=[c=n.__e=r.__e]),(d=t.__b)&&d(n);n:if(typeof O==`function`){f=s.length;try{if(T=n.props,E=O.prototype&&O.prototype.render,D=(d=O.contextType)&&i[d.__c],ne=d?D?D.props.value:d.__:i,r.__c?ee=(p=n.__c=r.__c).__=p.__E:(E?n.__c=p=new O(T,ne):(n.__c=p=new C(T,ne),p.constructor=O,p.render=me),D&&D.sub(p),p.state||(p.state={}),p.__n=i,m=p.__d=!0,p.__h=[],p._sb=[]),E&&p.__s==null&&(p.__s=p.state),E&&O.getDerivedStateFromProps!=null&&(p.__s==p.state&&(p.__s=v({},p.__s)),v(p.__s,O.getDerivedStateFromProps(T,p.__s))),g=p.props,b=p.state,p.__v=n,m)E&&O.getDerivedStateFromProps==null&&p.componentWillMount!=null&&p.componentWillMount(),E&&p.componentDidMount!=null&&p.__h.push(p.componentDidMount);else{if(E&&O.getDerivedStateFromProps==null&&T!==g&&p.componentWillReceiveProps!=null&&p.componentWillReceiveProps(T,ne),n.__v==r.__v||!p.__e&&p.shouldComponentUpdate!=null&&!1===p.shouldComponentUpdate(T,p.__s,ne)){n.__v!=r.__v&&(p.props=T,p.state=p.__s,p.__d=!1),n.__e=r.__e,n.__k=r.__k,n.__k.some(function(e){e&&(e.__=n)}),h.push.apply(p.__h,p._sb),p._sb=[],p.__h.length&&s.push(p),c=w(r);break n}p.componentWillUpdate!=null&&p.componentWillUpdate(T,p.__s,ne),E&&p.componentDidUpdate!=null&&p.__h.push(function(){p.componentDidUpdate(g,b,x)})}if(p.context=ne,p.props=T,p.__P=e,p.__e=!1,re=t.__r,ie=0,E)p.state=p.__s,p.__d=!1,re&&re(n),d=p.render(p.props,p.state,p.context),h.push.apply(p.__h,p._sb),p._sb=[];else do p.__d=!1,re&&re(n),d=p.render(p.props,p.state,p.context),p.state=p.__s;while(p.__d&&++ie<25);p.state=p.__s,p.getChildContext!=null&&(i=v(v({},i),p.getChildContext())),E&&!m&&p.getSnapshotBeforeUpdate!=null&&(x=p.getSnapshotBeforeUpdate(g,b)),ae=d!=null&&d.type===S&&d.key==null?ue(d.props.children):d,c=te(e,_(ae)?ae:[ae],n,r,i,a,o,s,c,l,u),p.base=n.__e,n.__u&=-161,p.__h.length&&s.push(p),ee&&(p.__E=p.__=null)}catch(e){if(s.length=f,n.__v=null,l||o!=null){if(e.then){for(n.__u|=l?160:128;c&&c.nodeType==8&&c.nextSibling;)c=c.nextSibling;o!=null&&(o[o.indexOf(c)]=null),n.__e=c}else if(o!=null)for(oe=o.length;oe--;)y(o[oe])}else n.__e=r.__e;n.__k??=r.__k||[],e.then||ce(n),t.__e(e,n,r)}}else o==null&&n.__v==r.__v?(n.__k=r.__k,n.__e=r.__e):c=n.__e=de(r.__e,n,r,i,a,o,s,l,u);return(d=t.diffed)&&d(n),128&n.__u?void 0:c}function ce(e){e&&(e.__c&&(e.__c.__e=!0),e.__k&&e.__k.some(ce))}function le(e,n,r){for(var i=0;i<r.length;i++)fe(r[i],r[++i],r[++i]);t.__c&&t.__c(n,e),e.some(function(n){try{e=n.__h,n.__h=[],e.some(function(e){e.call(n)})}catch(e){t.__e(e,n.__v)}})}function ue(e){return typeof e!=`object`||!e||e.__b>0?e:_(e)?e.map(ue):e.constructor===void 0?v({},e):null}function de(n,r,i,a,o,s,c,l,u){var d,f,p,h,g,v,b,x=i.props||m,S=r.props,C=r.type;if(C==`svg`?o=`http://www.w3.org/2000/svg`:C==`math`?o=`http://www.w3.org/1998/Math/MathML`:o||=`http://www.w3.org/1999/xhtml`,s!=null){for(d=0;d<s.length;d++)if((g=s[d])&&`setAttribute`in g==!!C&&(C?g.localName==C:g.nodeType==3)){n=g,s[d]=null;break}}if(n==null){if(C==null)return document.createTextNode(S);n=document.createElementNS(o,C,S.is&&S),l&&=(t.__m&&t.__m(r,s),!1),s=null}if(C==null)x===S||l&&n.data==S||(n.data=S);else{if(s=C==`textarea`&&S.defaultValue!=null?null:s&&e.call(n.childNodes),!l&&s!=null)for(x={},d=0;d<n.attributes.length;d++)x[(g=n.attributes[d]).name]=g.value;for(d in x)g=x[d],d==`dangerouslySetInnerHTML`?p=g:d==`children`||d in S||d==`value`&&`defaultValue`in S||d==`checked`&&`defaultChecked`in S||oe(n,d,null,g,o);for(d in S)g=S[d],d==`children`?h=g:d==`dangerouslySetInnerHTML`?f=g:d==`value`?v=g:d==`checked`?b=g:l&&typeof g!=`function`||x[d]===g||oe(n,d,g,x[d],o);if(f)l||p&&(f.__html==p.__html||f.__html==n.innerHTML)||(n.innerHTML=f.__html),r.__k=[];else if(p&&(n.innerHTML=``),te(r.type==`template`?n.content:n,_(h)?h:[h],r,i,a,C==`foreignObject`?`http://www.w3.org/1999/xhtml`:o,s,c,s?s[0]:i.__k&&w(i,0),l,u),s!=null)for(d=s.length;d--;)y(s[d]);l&&C!=`textarea`||(d=`value`,C==`progress`&&v==null?n.removeAttribute(`value`):v!=null&&(v!==n[d]||C==`progress`&&!v||C==`option`&&v!=x[d])&&oe(n,d,v,x[d],o),d=`checked`,b!=null&&b!=n[d]&&oe(n,d,b,x[d],o))}return n}function fe(e,n,r){try{if(typeof e==`function`){var i=typeof e.__u==`function`;i&&e.__u(),i&&n==null||(e.__u=e(n))}else e.current=n}catch(e){t.__e(e,r)}}function pe(e,n,r){var i,a;if(t.unmount&&t.unmount(e),(i=e.ref)&&(i.current&&i.current!=e.__e||fe(i,null,n)),(i=e.__c)!=null){if(i.componentWillUnmount)try{i.componentWillUnmount()}catch(e){t.__e(e,n)}i.base=i.__P=i.__n=null}if(i=e.__k)for(a=0;a<i.length;a++)i[a]&&pe(i[a],n,r||typeof e.type!=`function`);r||y(e.__e),e.__c=e.__=e.__e=void 0}function me(e,t,n){return this.constructor(e,n)}function he(n,r,i){var a,o,s,c;r==document&&(r=document.documentElement),t.__&&t.__(n,r),o=(a=typeof i==`function`)?null:i&&i.__k||r.__k,s=[],c=[],se(r,n=(!a&&i||r).__k=b(S,null,[n]),o||m,m,r.namespaceURI,!a&&i?[i]:o?null:r.firstChild?e.call(r.childNodes):null,s,!a&&i?i:o?o.__e:r.firstChild,a,c),le(s,n,c),n.props.children=null}e=h.slice,t={__e:function(e,t,n,r){for(var i,a,o;t=t.__;)if((i=t.__c)&&!i.__)try{if((a=i.constructor)&&a.getDerivedStateFromError!=null&&(i.setState(a.getDerivedStateFromError(e)),o=i.__d),i.componentDidCatch!=null&&(i.componentDidCatch(e,r||{}),o=i.__d),o)return i.__E=i}catch(t){e=t}throw e}},n=0,C.prototype.setState=function(e,t){var n=this.__s!=null&&this.__s!=this.state?this.__s:this.__s=v({},this.state);typeof e==`function`&&(e=e(v({},n),this.props)),e&&v(n,e),e!=null&&this.__v&&(t&&this._sb.push(t),E(this))},C.prototype.forceUpdate=function(e){this.__v&&(this.__e=!0,e&&this.__h.push(e),E(this))},C.prototype.render=S,r=[],a=typeof Promise==`function`?Promise.prototype.then.bind(Promise.resolve()):setTimeout,o=function(e,t){return e.__v.__b-t.__v.__b},D.__r=0,s=Math.random().toString(8),c=`__d`+s,l=`__a`+s,u=/(PointerCapture)$|Capture$/i,d=0,f=O(!1),p=O(!0);var ge,k,_e,ve,ye=0,be=[],A=t,xe=A.__b,Se=A.__r,Ce=A.diffed,we=A.__c,Te=A.unmount,Ee=A.__;function De(e,t){A.__h&&A.__h(k,e,ye||t),ye=0;var n=k.__H||(k.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function j(e){return ye=1,Oe(Re,e)}function Oe(e,t,n){var r=De(ge++,2);if(r.t=e,!r.__c&&(r.__=[n?n(t):Re(void 0,t),function(e){var t=r.__N?r.__N[0]:r.__[0],n=r.t(t,e);t!==n&&(r.__N=[n,r.__[1]],r.__c.setState({}))}],r.__c=k,!k.__f)){var i=function(e,t,n){if(!r.__c.__H)return!0;var i=!1,o=r.__c.props!==e;if(r.__c.__H.__.some(function(e){if(e.__N){i=!0;var t=e.__[0];e.__=e.__N,e.__N=void 0,t!==e.__[0]&&(o=!0)}}),a){var s=a.call(this,e,t,n);return i?s||o:s}return!i||o};k.__f=!0;var a=k.shouldComponentUpdate,o=k.componentWillUpdate;k.componentWillUpdate=function(e,t,n){if(this.__e){var r=a;a=void 0,i(e,t,n),a=r}o&&o.call(this,e,t,n)},k.shouldComponentUpdate=i}return r.__N||r.__}function M(e,t){var n=De(ge++,3);!A.__s&&Le(n.__H,t)&&(n.__=e,n.u=t,k.__H.__h.push(n))}function ke(e,t){var n=De(ge++,4);!A.__s&&Le(n.__H,t)&&(n.__=e,n.u=t,k.__h.push(n))}function N(e){return ye=5,Ae(function(){return{current:e}},[])}function Ae(e,t){var n=De(ge++,7);return Le(n.__H,t)&&(n.__=e(),n.__H=t,n.__h=e),n.__}function je(e,t){return ye=8,Ae(function(){return e},t)}function Me(){for(var e;e=be.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(Fe),t.__h.some(Ie),t.__h=[]}catch(n){t.__h=[],A.__e(n,e.__v)}}}A.__b=function(e){k=null,xe&&xe(e)},A.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),Ee&&Ee(e,t)},A.__r=function(e){Se&&Se(e),ge=0;var t=(k=e.__c).__H;t&&(_e===k?(t.__h=[],k.__h=[],t.__.some(function(e){e.__N&&(e.__=e.__N),e.u=e.__N=void 0})):(t.__h.some(Fe),t.__h.some(Ie),t.__h=[],ge=0)),_e=k},A.diffed=function(e){Ce&&Ce(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&(be.push(t)!==1&&ve===A.requestAnimationFrame||((ve=A.requestAnimationFrame)||Pe)(Me)),t.__H.__.some(function(e){e.u&&=(e.__H=e.u,void 0)})),_e=k=null},A.__c=function(e,t){t.some(function(e){try{e.__h.some(Fe),e.__h=e.__h.filter(function(e){return!e.__||Ie(e)})}catch(n){t.some(function(e){e.__h&&=[]}),t=[],A.__e(n,e.__v)}}),we&&we(e,t)},A.unmount=function(e){Te&&Te(e);var t,n=e.__c;n&&n.__H&&(n.__H.__.some(function(e){try{Fe(e)}catch(e){t=e}}),n.__H=void 0,t&&A.__e(t,n.__v))};var Ne=typeof requestAnimationFrame==`function`;function Pe(e){var t,n=function(){clearTimeout(r),Ne&&cancelAnimationFrame(t),setTimeout(e)},r=setTimeout(n,35);Ne&&(t=requestAnimationFrame(n))}function Fe(e){var t=k,n=e.__c;typeof n==`function`&&(e.__c=void 0,n()),k=t}function Ie(e){var t=k;e.__c=e.__(),k=t}function Le(e,t){return!e||e.length!==t.length||t.some(function(t,n){return t!==e[n]})}function Re(e,t){return typeof t==`function`?t(e):t}function P(e){return e===null?`null`:Array.isArray(e)?`array`:typeof e}function ze(e){return P(e)===`object`}function Be(e){return Array.isArray(e)&&e.length>0&&e.every(e=>`message`in e)}function Ve(e,t){return e.length<124?e:t}var F=(e=>(e[e.InternalServerError=4500]=`InternalServerError`,e[e.InternalClientError=4005]=`InternalClientError`,e[e.BadRequest=4400]=`BadRequest`,e[e.BadResponse=4004]=`BadResponse`,e[e.Unauthorized=4401]=`Unauthorized`,e[e.Forbidden=4403]=`Forbidden`,e[e.SubprotocolNotAcceptable=4406]=`SubprotocolNotAcceptable`,e[e.ConnectionInitialisationTimeout=4408]=`ConnectionInitialisationTimeout`,e[e.ConnectionAcknowledgementTimeout=4504]=`ConnectionAcknowledgementTimeout`,e[e.SubscriberAlreadyExists=4409]=`SubscriberAlreadyExists`,e[e.TooManyInitialisationRequests=4429]=`TooManyInitialisationRequests`,e))(F||{}),I=(e=>(e.ConnectionInit=`connection_init`,e.ConnectionAck=`connection_ack`,e.Ping=`ping`,e.Pong=`pong`,e.Subscribe=`subscribe`,e.Next=`next`,e.Error=`error`,e.Complete=`complete`,e))(I||{});function He(e){if(!ze(e))throw Error(`Message is expected to be an object, but got ${P(e)}`);if(!e.type)throw Error(`Message is missing the 'type' property`);if(typeof e.type!=`string`)throw Error(`Message is expects the 'type' property to be a string, but got ${P(e.type)}`);switch(e.type){case`connection_init`:case`connection_ack`:case`ping`:case`pong`:if(e.payload!=null&&!ze(e.payload))throw Error(`"${e.type}" message expects the 'payload' property to be an object or nullish or missing, but got "${e.payload}"`);break;case`subscribe`:if(typeof e.id!=`string`)throw Error(`"${e.type}" message expects the 'id' property to be a string, but got ${P(e.id)}`);if(!e.id)throw Error(`"${e.type}" message requires a non-empty 'id' property`);if(!ze(e.payload))throw Error(`"${e.type}" message expects the 'payload' property to be an object, but got ${P(e.payload)}`);if(typeof e.payload.query!=`string`)throw Error(`"${e.type}" message payload expects the 'query' property to be a string, but got ${P(e.payload.query)}`);if(e.payload.variables!=null&&!ze(e.payload.variables))throw Error(`"${e.type}" message payload expects the 'variables' property to be a an object or nullish or missing, but got ${P(e.payload.variables)}`);if(e.payload.operationName!=null&&P(e.payload.operationName)!==`string`)throw Error(`"${e.type}" message payload expects the 'operationName' property to be a string or nullish or missing, but got ${P(e.payload.operationName)}`);if(e.payload.extensions!=null&&!ze(e.payload.extensions))throw Error(`"${e.type}" message payload expects the 'extensions' property to be a an object or nullish or missing, but got ${P(e.payload.extensions)}`);break;case`next`:if(typeof e.id!=`string`)throw Error(`"${e.type}" message expects the 'id' property to be a string, but got ${P(e.id)}`);if(!e.id)throw Error(`"${e.type}" message requires a non-empty 'id' property`);if(!ze(e.payload))throw Error(`"${e.type}" message expects the 'payload' property to be an object, but got ${P(e.payload)}`);break;case`error`:if(typeof e.id!=`string`)throw Error(`"${e.type}" message expects the 'id' property to be a string, but got ${P(e.id)}`);if(!e.id)throw Error(`"${e.type}" message requires a non-empty 'id' property`);if(!Be(e.payload))throw Error(`"${e.type}" message expects the 'payload' property to be an array of GraphQL errors, but got ${JSON.stringify(e.payload)}`);break;case`complete`:if(typeof e.id!=`string`)throw Error(`"${e.type}" message expects the 'id' property to be a string, but got ${P(e.id)}`);if(!e.id)throw Error(`"${e.type}" message requires a non-empty 'id' property`);break;default:throw Error(`Invalid message 'type' property "${e.type}"`)}return e}function Ue(e,t){return He(typeof e==`string`?JSON.parse(e,t):e)}function We(e,t){return He(e),JSON.stringify(e,t)}function Ge(e){let{url:t,connectionParams:n,lazy:r=!0,onNonLazyError:i=console.error,lazyCloseTimeout:a=0,keepAlive:o=0,disablePong:s,connectionAckWaitTimeout:c=0,retryAttempts:l=5,retryWait:u=async function(e){let t=2**e;await new Promise(e=>setTimeout(e,t*1e3+Math.floor(Math.random()*2700+300)))},shouldRetry:d=qe,on:f,webSocketImpl:p,generateID:m=function(){return`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`.replace(/[xy]/g,e=>{let t=Math.random()*16|0;return(e==`x`?t:t&3|8).toString(16)})},jsonMessageReplacer:h,jsonMessageReviver:g}=e,_;if(p){if(!Ye(p))throw Error(`Invalid WebSocket implementation provided`);_=p}else typeof WebSocket<`u`?_=WebSocket:typeof global<`u`?_=global.WebSocket||global.MozWebSocket:typeof window<`u`&&(_=window.WebSocket||window.MozWebSocket);if(!_)throw Error("WebSocket implementation missing; on Node you can `import WebSocket from 'ws';` and pass `webSocketImpl: WebSocket` to `createClient`");let v=_,y=(()=>{let e=(()=>{let e={};return{on(t,n){return e[t]=n,()=>{delete e[t]}},emit(t){`id`in t&&e[t.id]?.(t)}}})(),t={connecting:f?.connecting?[f.connecting]:[],opened:f?.opened?[f.opened]:[],connected:f?.connected?[f.connected]:[],ping:f?.ping?[f.ping]:[],pong:f?.pong?[f.pong]:[],message:f?.message?[e.emit,f.message]:[e.emit],closed:f?.closed?[f.closed]:[],error:f?.error?[f.error]:[]};return{onMessage:e.on,on(e,n){let r=t[e];return r.push(n),()=>{let e=r.indexOf(n);e>-1&&r.splice(e,1)}},emit(e,...n){for(let r of[...t[e]])r(...n)}}})();function b(e){let t=[y.on(`error`,n=>{t.forEach(e=>e()),e(n)}),y.on(`closed`,n=>{t.forEach(e=>e()),e(n)})];return()=>t.forEach(e=>e())}let x,S=0,C,w=!1,ee=0,T=!1;async function E(){clearTimeout(C);let[e,r]=await(x??=new Promise((e,r)=>(async()=>{if(w){if(await u(ee),!S)return x=void 0,r({code:1e3,reason:`All Subscriptions Gone`});ee++}y.emit(`connecting`,w);let i=new v(typeof t==`function`?await t():t,`graphql-transport-ws`),a,l;function d(){isFinite(o)&&o>0&&(clearTimeout(l),l=setTimeout(()=>{i.readyState===v.OPEN&&(i.send(We({type:I.Ping})),y.emit(`ping`,!1,void 0))},o))}b(e=>{x=void 0,clearTimeout(a),clearTimeout(l),r(e),e instanceof Ke&&(i.close(4499,`Terminated`),i.onerror=null,i.onclose=null)}),i.onerror=e=>y.emit(`error`,e),i.onclose=e=>y.emit(`closed`,e),i.onopen=async()=>{try{y.emit(`opened`,i);let e=typeof n==`function`?await n():n;if(i.readyState!==v.OPEN)return;i.send(We(e?{type:I.ConnectionInit,payload:e}:{type:I.ConnectionInit},h)),isFinite(c)&&c>0&&(a=setTimeout(()=>{i.close(F.ConnectionAcknowledgementTimeout,`Connection acknowledgement timeout`)},c)),d()}catch(e){y.emit(`error`,e),i.close(F.InternalClientError,Ve(e instanceof Error?e.message:String(e),`Internal client error`))}};let f=!1;i.onmessage=({data:t})=>{try{let n=Ue(t,g);if(y.emit(`message`,n),n.type===`ping`||n.type===`pong`){y.emit(n.type,!0,n.payload),n.type===`pong`?d():s||(i.send(We(n.payload?{type:I.Pong,payload:n.payload}:{type:I.Pong},h)),y.emit(`pong`,!1,n.payload));return}if(f)return;if(n.type!==I.ConnectionAck)throw Error(`First message cannot be of type ${n.type}`);clearTimeout(a),f=!0,y.emit(`connected`,i,n.payload,w),w=!1,ee=0;let r=new Promise((e,t)=>b(t));r.catch(()=>{}),e([i,r])}catch(e){i.onmessage=null,y.emit(`error`,e),i.close(F.BadResponse,Ve(e instanceof Error?e.message:String(e),`Bad response`))}}})()));e.readyState===v.CLOSING&&await r;let i=()=>{},l=new Promise(e=>i=e);return[e,i,new Promise((t,n)=>{let i=b(n);e.readyState!==v.OPEN&&r.catch(n),l.then(()=>{if(i(),!S){let t=()=>e.close(1e3,`Normal Closure`);isFinite(a)&&a>0?(clearTimeout(C),C=setTimeout(()=>{!S&&e.readyState===v.OPEN&&t()},a)):t()}t()})})]}function D(e){if(qe(e)&&(Je(e.code)||[F.InternalServerError,F.InternalClientError,F.BadRequest,F.BadResponse,F.Unauthorized,F.SubprotocolNotAcceptable,F.SubscriberAlreadyExists,F.TooManyInitialisationRequests].includes(e.code)))throw e;if(T)return!1;if(qe(e)&&e.code===1e3)return S>0;if(!l||ee>=l||!d(e))throw e;return w=!0}r||(async()=>{for(S++;;)try{let[,,e]=await E();await e}catch(e){try{if(!D(e))return}catch(e){return i?.(e)}}})();function te(e,t){let n=m(e),r=!1,i=!1,a=()=>{S--,r=!0};return(async()=>{for(S++;;)try{let[o,s,c]=await E();if(r)return c.catch(()=>{}),s();let l=y.onMessage(n,e=>{switch(e.type){case I.Next:t.next(e.payload);return;case I.Error:i=!0,r=!0,t.error(e.payload),a();return;case I.Complete:r=!0,a();return}});o.send(We({id:n,type:I.Subscribe,payload:e},h)),a=()=>{!r&&o.readyState===v.OPEN&&o.send(We({id:n,type:I.Complete},h)),S--,r=!0,s()},await c.finally(l);return}catch(e){if(!D(e))return}})().then(()=>{i||t.complete()}).catch(e=>{t.error(e)}),()=>{r||a()}}return{on:y.on,subscribe:te,iterate(e){let t=[],n={done:!1,error:null,resolve:()=>{}},r=te(e,{next(e){t.push(e),n.resolve()},error(e){n.done=!0,n.error=e,n.resolve()},complete(){n.done=!0,n.resolve()}}),i=async function*(){for(;;){for(t.length||await new Promise(e=>n.resolve=e);t.length;)yield t.shift();if(n.error)throw n.error;if(n.done)return}}();return i.throw=async e=>(n.done||(n.done=!0,n.error=e,n.resolve()),{done:!0,value:void 0}),i.return=async()=>(r(),{done:!0,value:void 0}),i},async dispose(){if(T=!0,x){let[e]=await x;e.close(1e3,`Normal Closure`)}},terminate(){x&&y.emit(`closed`,new Ke)}}}var Ke=class extends Error{name=`TerminatedCloseEvent`;message=`4499: Terminated`;code=4499;reason=`Terminated`;wasClean=!1};function qe(e){return ze(e)&&`code`in e&&`reason`in e}function Je(e){return![1e3,1001,1006,1005,1012,1013,1014].includes(e)&&e>=1e3&&e<=1999}function Ye(e){return typeof e==`function`&&`constructor`in e&&`CLOSED`in e&&`CLOSING`in e&&`CONNECTING`in e&&`OPEN`in e}var Xe=class{value;listeners=new Set;constructor(e){this.value=e}get(){return this.value}set(e){this.value={...this.value,...e};for(let e of[...this.listeners])e()}subscribe(e){return this.listeners.add(e),()=>this.listeners.delete(e)}};function L(e){let[,t]=j(0);return M(()=>e.subscribe(()=>t(e=>e+1)),[e]),e.get()}var Ze=`hookd.token`,Qe=`hookd.workspace`,R=new Xe({token:sessionStorage.getItem(Ze),viewer:null,workspaceId:sessionStorage.getItem(Qe),signedOutBecause:null});function $e(){let e=/^#token=([^&]+)/.exec(location.hash);e&&(history.replaceState(history.state,``,location.pathname+location.search),et(decodeURIComponent(e[1])))}function et(e){sessionStorage.setItem(Ze,e),R.set({token:e,viewer:null,signedOutBecause:null})}function tt(e=null){sessionStorage.removeItem(Ze),sessionStorage.removeItem(Qe),R.set({token:null,viewer:null,workspaceId:null,signedOutBecause:e})}function nt(e){let t=R.get().workspaceId;e.admin||(t=e.workspace?.id??null),R.set({viewer:e,workspaceId:t})}function rt(e){sessionStorage.setItem(Qe,e),R.set({workspaceId:e})}function z(e){let t=e?.role,n=!!e?.admin;return{admin:n,manage:n||t===`ADMIN`,write:n||t===`ADMIN`||t===`WRITE`,read:n||t!==`PUBLISH`&&t!=null,publish:n||t===`ADMIN`||t===`WRITE`||t===`PUBLISH`}}var it=`/graphql`,B=class extends Error{errors;constructor(e){super(e.map(e=>e.message).join(`; `)),this.errors=e}get code(){return this.errors[0]?.code??`INTERNAL`}forField(e){let t=this.errors.find(t=>t.field!=null&&at(e,t.field));return t?t.message:null}unplaced(e){return this.errors.filter(t=>!t.field||!e.some(e=>at(e,t.field)))}};function at(e,t){for(let n of[e,`input.`+e])if(t===n||t.startsWith(n+`.`))return!0;return!1}function ot(e){return e.map(e=>({message:e.message??`unknown error`,code:e.extensions?.code??`INTERNAL`,field:e.extensions?.field??null}))}function st(e){let t=e.find(e=>e.code===`UNAUTHENTICATED`);t&&R.get().token&&tt(`You were signed out: ${t.message}.`)}async function ct(e,t,n=R.get().token){let r=n===R.get().token,i;try{i=await fetch(it,{method:`POST`,headers:{"Content-Type":`application/json`,Accept:`application/json`,...n?{Authorization:`Bearer ${n}`}:{}},body:JSON.stringify({query:e.toString(),variables:t??{}})})}catch{throw new B([{message:`hookd cannot be reached: check the server is running, then try again`,code:`NETWORK`,field:null}])}let a;try{a=await i.json()}catch{throw new B([{message:`hookd answered HTTP ${i.status} without a GraphQL response`,code:`INTERNAL`,field:null}])}if(a.errors?.length){let e=ot(a.errors);throw r&&st(e),new B(e)}if(!a.data)throw new B([{message:`hookd answered without data`,code:`INTERNAL`,field:null}]);return a.data}var lt=new Xe({state:`idle`,generation:0,droppedAt:null,backAt:null}),ut=null,dt=null;function ft(){let e=R.get().token;if(ut&&dt===e)return ut;ut?.dispose(),dt=e;let t=new URL(it,location.href);return t.protocol=t.protocol===`https:`?`wss:`:`ws:`,ut=Ge({url:t.toString(),connectionParams:()=>({Authorization:`Bearer ${R.get().token??``}`}),lazy:!0,keepAlive:1e4,retryAttempts:1/0,shouldRetry:()=>R.get().token!=null,retryWait:async e=>{await new Promise(t=>setTimeout(t,Math.min(500*2**e,5e3)*(.75+Math.random()/2)))},on:{connected:(e,t,n)=>{let{generation:r,state:i}=lt.get(),a=n||i===`reconnecting`;lt.set({state:`connected`,generation:a?r+1:r,backAt:a?Date.now():lt.get().backAt})},closed:()=>{R.get().token&&lt.get().state!==`reconnecting`&&lt.set({state:`reconnecting`,droppedAt:Date.now()})}}}),ut}R.subscribe(()=>{!R.get().token&&ut&&(ut.dispose(),ut=null,dt=null,lt.set({state:`idle`}))});function pt(e,t,n,r){return ft().subscribe({query:e.toString(),variables:t},{next:e=>{if(e.errors?.length){let t=ot(e.errors);st(t),r(new B(t))}else e.data&&n(e.data)},error:e=>{let t=ot(Array.isArray(e)?e:[{message:e instanceof Error?e.message:`the live connection failed`}]);st(t),r(new B(t))},complete:()=>{}})}var V=class extends String{__apiType;value;__meta__;constructor(e,t){super(e),this.value=e,this.__meta__=t}toString(){return this.value}},mt=new V(`
    fragment FeedAttempt on DeliveryAttempt {
  id
  number
  trigger
  startedAt
  durationMs
  success
  responseStatus
  errorKind
  error
  webhook {
    id
    name
  }
  delivery {
    id
    event {
      id
      type
    }
  }
}
    `,{fragmentName:`FeedAttempt`}),ht=new V(`
    fragment StatisticsFields on WebhookStatistics {
  events
  triggers
  successResponses
  failureResponses
  failuresSinceLastSuccess
  lastEventAt
  nextTriggerAt
  lastSuccessAt
  lastFailureAt
  lastSuccess {
    id
    responseStatus
    durationMs
  }
  lastFailure {
    id
    responseStatus
    errorKind
    error
  }
}
    `,{fragmentName:`StatisticsFields`}),gt={"\n  query ConsoleViewer {\n    viewer {\n      admin\n      role\n      token { name expiresAt }\n      workspace { id name }\n    }\n  }\n":new V(`
    query ConsoleViewer {
  viewer {
    admin
    role
    token {
      name
      expiresAt
    }
    workspace {
      id
      name
    }
  }
}
    `),"\n  query ConsoleWorkspaces {\n    workspaces(first: 100, orderBy: { field: NAME, direction: ASC }) {\n      edges { node { id name } }\n    }\n  }\n":new V(`
    query ConsoleWorkspaces {
  workspaces(first: 100, orderBy: {field: NAME, direction: ASC}) {
    edges {
      node {
        id
        name
      }
    }
  }
}
    `),"\n  query AttemptDetails($id: ID!) {\n    node(id: $id) {\n      ... on DeliveryAttempt {\n        id\n        number\n        trigger\n        startedAt\n        durationMs\n        success\n        requestUrl\n        requestMethod\n        requestHeaders { name value }\n        requestBody\n        responseStatus\n        responseHeaders { name value }\n        responseBody\n        error\n        errorKind\n        webhook { id name }\n        delivery { id status attemptCount event { id type } }\n      }\n    }\n  }\n":new V(`
    query AttemptDetails($id: ID!) {
  node(id: $id) {
    ... on DeliveryAttempt {
      id
      number
      trigger
      startedAt
      durationMs
      success
      requestUrl
      requestMethod
      requestHeaders {
        name
        value
      }
      requestBody
      responseStatus
      responseHeaders {
        name
        value
      }
      responseBody
      error
      errorKind
      webhook {
        id
        name
      }
      delivery {
        id
        status
        attemptCount
        event {
          id
          type
        }
      }
    }
  }
}
    `),"\n  mutation AttemptRetry($id: ID!) {\n    retryDelivery(id: $id) { id status attemptCount }\n  }\n":new V(`
    mutation AttemptRetry($id: ID!) {
  retryDelivery(id: $id) {
    id
    status
    attemptCount
  }
}
    `),"\n  query EventsList($workspaceId: ID!, $first: Int, $after: Cursor, $where: EventWhereInput) {\n    events(workspaceId: $workspaceId, first: $first, after: $after, where: $where, orderBy: { field: OCCURRED_AT, direction: DESC }) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges {\n        node {\n          id\n          type\n          entityType\n          entityId\n          idempotencyKey\n          occurredAt\n          deliveries { totalCount }\n        }\n      }\n    }\n  }\n":new V(`
    query EventsList($workspaceId: ID!, $first: Int, $after: Cursor, $where: EventWhereInput) {
  events(
    workspaceId: $workspaceId
    first: $first
    after: $after
    where: $where
    orderBy: {field: OCCURRED_AT, direction: DESC}
  ) {
    totalCount
    pageInfo {
      hasNextPage
      hasPreviousPage
      startCursor
      endCursor
    }
    edges {
      node {
        id
        type
        entityType
        entityId
        idempotencyKey
        occurredAt
        deliveries {
          totalCount
        }
      }
    }
  }
}
    `),"\n  query EventsTypeNames($workspaceId: ID!) {\n    eventTypes(workspaceId: $workspaceId, first: 500, includeArchived: true, orderBy: { field: NAME, direction: ASC }) {\n      edges { node { id name } }\n    }\n  }\n":new V(`
    query EventsTypeNames($workspaceId: ID!) {
  eventTypes(
    workspaceId: $workspaceId
    first: 500
    includeArchived: true
    orderBy: {field: NAME, direction: ASC}
  ) {
    edges {
      node {
        id
        name
      }
    }
  }
}
    `),"\n  query EventDetails($id: ID!, $first: Int, $after: Cursor) {\n    node(id: $id) {\n      ... on Event {\n        id\n        type\n        payload\n        entityType\n        entityId\n        idempotencyKey\n        occurredAt\n        createdAt\n        deliveries(first: $first, after: $after, orderBy: { field: CREATED_AT, direction: ASC }) {\n          totalCount\n          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n          edges {\n            node {\n              id\n              status\n              attemptCount\n              nextAttemptAt\n              createdAt\n              completedAt\n              webhook { id name }\n              attempts { id number trigger startedAt durationMs success responseStatus errorKind }\n            }\n          }\n        }\n      }\n    }\n  }\n":new V(`
    query EventDetails($id: ID!, $first: Int, $after: Cursor) {
  node(id: $id) {
    ... on Event {
      id
      type
      payload
      entityType
      entityId
      idempotencyKey
      occurredAt
      createdAt
      deliveries(
        first: $first
        after: $after
        orderBy: {field: CREATED_AT, direction: ASC}
      ) {
        totalCount
        pageInfo {
          hasNextPage
          hasPreviousPage
          startCursor
          endCursor
        }
        edges {
          node {
            id
            status
            attemptCount
            nextAttemptAt
            createdAt
            completedAt
            webhook {
              id
              name
            }
            attempts {
              id
              number
              trigger
              startedAt
              durationMs
              success
              responseStatus
              errorKind
            }
          }
        }
      }
    }
  }
}
    `),"\n  subscription EventAttempts($workspaceId: ID!, $eventId: ID!) {\n    deliveryAttempts(workspaceId: $workspaceId, eventId: $eventId) { id }\n  }\n":new V(`
    subscription EventAttempts($workspaceId: ID!, $eventId: ID!) {
  deliveryAttempts(workspaceId: $workspaceId, eventId: $eventId) {
    id
  }
}
    `),"\n  mutation EventRetryDelivery($id: ID!) {\n    retryDelivery(id: $id) { id status attemptCount nextAttemptAt }\n  }\n":new V(`
    mutation EventRetryDelivery($id: ID!) {
  retryDelivery(id: $id) {
    id
    status
    attemptCount
    nextAttemptAt
  }
}
    `),"\n  query EventTypesList($workspaceId: ID!, $first: Int, $after: Cursor, $includeArchived: Boolean) {\n    eventTypes(workspaceId: $workspaceId, first: $first, after: $after, includeArchived: $includeArchived, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges {\n        node {\n          id\n          name\n          description\n          examplePayload\n          schema\n          archived\n          subscribedWebhooks\n          createdAt\n          updatedAt\n        }\n      }\n    }\n  }\n":new V(`
    query EventTypesList($workspaceId: ID!, $first: Int, $after: Cursor, $includeArchived: Boolean) {
  eventTypes(
    workspaceId: $workspaceId
    first: $first
    after: $after
    includeArchived: $includeArchived
    orderBy: {field: NAME, direction: ASC}
  ) {
    totalCount
    pageInfo {
      hasNextPage
      hasPreviousPage
      startCursor
      endCursor
    }
    edges {
      node {
        id
        name
        description
        examplePayload
        schema
        archived
        subscribedWebhooks
        createdAt
        updatedAt
      }
    }
  }
}
    `),"\n  mutation EventTypesCreate($input: CreateEventTypeInput!) {\n    createEventType(input: $input) { id name }\n  }\n":new V(`
    mutation EventTypesCreate($input: CreateEventTypeInput!) {
  createEventType(input: $input) {
    id
    name
  }
}
    `),"\n  mutation EventTypesUpdate($id: ID!, $input: UpdateEventTypeInput!) {\n    updateEventType(id: $id, input: $input) { id name description examplePayload schema archived subscribedWebhooks updatedAt }\n  }\n":new V(`
    mutation EventTypesUpdate($id: ID!, $input: UpdateEventTypeInput!) {
  updateEventType(id: $id, input: $input) {
    id
    name
    description
    examplePayload
    schema
    archived
    subscribedWebhooks
    updatedAt
  }
}
    `),"\n  fragment FeedAttempt on DeliveryAttempt {\n    id\n    number\n    trigger\n    startedAt\n    durationMs\n    success\n    responseStatus\n    errorKind\n    error\n    webhook { id name }\n    delivery { id event { id type } }\n  }\n":mt,"\n  query FeedRecent($workspaceId: ID!, $webhookId: ID, $first: Int) {\n    deliveryAttempts(workspaceId: $workspaceId, webhookId: $webhookId, first: $first) {\n      edges { node { ...FeedAttempt } }\n    }\n  }\n":new V(`
    query FeedRecent($workspaceId: ID!, $webhookId: ID, $first: Int) {
  deliveryAttempts(
    workspaceId: $workspaceId
    webhookId: $webhookId
    first: $first
  ) {
    edges {
      node {
        ...FeedAttempt
      }
    }
  }
}
    fragment FeedAttempt on DeliveryAttempt {
  id
  number
  trigger
  startedAt
  durationMs
  success
  responseStatus
  errorKind
  error
  webhook {
    id
    name
  }
  delivery {
    id
    event {
      id
      type
    }
  }
}`),"\n  subscription FeedLive($workspaceId: ID!, $webhookId: ID) {\n    deliveryAttempts(workspaceId: $workspaceId, webhookId: $webhookId) { ...FeedAttempt }\n  }\n":new V(`
    subscription FeedLive($workspaceId: ID!, $webhookId: ID) {
  deliveryAttempts(workspaceId: $workspaceId, webhookId: $webhookId) {
    ...FeedAttempt
  }
}
    fragment FeedAttempt on DeliveryAttempt {
  id
  number
  trigger
  startedAt
  durationMs
  success
  responseStatus
  errorKind
  error
  webhook {
    id
    name
  }
  delivery {
    id
    event {
      id
      type
    }
  }
}`),"\n  query FeedWebhooks($workspaceId: ID!) {\n    webhooks(workspaceId: $workspaceId, first: 200, orderBy: { field: NAME, direction: ASC }) {\n      edges { node { id name } }\n    }\n  }\n":new V(`
    query FeedWebhooks($workspaceId: ID!) {
  webhooks(
    workspaceId: $workspaceId
    first: 200
    orderBy: {field: NAME, direction: ASC}
  ) {
    edges {
      node {
        id
        name
      }
    }
  }
}
    `),"\n  query Overview($workspaceId: ID!, $since: Time!) {\n    node(id: $workspaceId) {\n      ... on Workspace {\n        id\n        name\n        exclusiveEventTypes\n        outcomes(since: $since, bucketSeconds: 60) { start successes failures }\n      }\n    }\n    all: webhooks(workspaceId: $workspaceId, first: 1) { totalCount }\n    enabled: webhooks(workspaceId: $workspaceId, first: 1, where: { enabled: true }) { totalCount }\n    failing: webhooks(workspaceId: $workspaceId, first: 5, failing: true) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          url\n          enabled\n          statistics { failuresSinceLastSuccess lastFailureAt lastSuccessAt }\n        }\n      }\n    }\n    eventTypes(workspaceId: $workspaceId, first: 1) { totalCount }\n  }\n":new V(`
    query Overview($workspaceId: ID!, $since: Time!) {
  node(id: $workspaceId) {
    ... on Workspace {
      id
      name
      exclusiveEventTypes
      outcomes(since: $since, bucketSeconds: 60) {
        start
        successes
        failures
      }
    }
  }
  all: webhooks(workspaceId: $workspaceId, first: 1) {
    totalCount
  }
  enabled: webhooks(workspaceId: $workspaceId, first: 1, where: {enabled: true}) {
    totalCount
  }
  failing: webhooks(workspaceId: $workspaceId, first: 5, failing: true) {
    totalCount
    edges {
      node {
        id
        name
        url
        enabled
        statistics {
          failuresSinceLastSuccess
          lastFailureAt
          lastSuccessAt
        }
      }
    }
  }
  eventTypes(workspaceId: $workspaceId, first: 1) {
    totalCount
  }
}
    `),"\n  query PublishEventTypes($workspaceId: ID!) {\n    eventTypes(workspaceId: $workspaceId, first: 1000, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      edges { node { id name description examplePayload } }\n    }\n  }\n":new V(`
    query PublishEventTypes($workspaceId: ID!) {
  eventTypes(
    workspaceId: $workspaceId
    first: 1000
    orderBy: {field: NAME, direction: ASC}
  ) {
    totalCount
    edges {
      node {
        id
        name
        description
        examplePayload
      }
    }
  }
}
    `),"\n  mutation PublishEvent($input: PublishEventInput!) {\n    publishEvent(input: $input) {\n      id\n      type\n      entityType\n      entityId\n      idempotencyKey\n      occurredAt\n      deliveries(first: 100) {\n        totalCount\n        edges { node { id status attemptCount webhook { id name } } }\n      }\n    }\n  }\n":new V(`
    mutation PublishEvent($input: PublishEventInput!) {
  publishEvent(input: $input) {
    id
    type
    entityType
    entityId
    idempotencyKey
    occurredAt
    deliveries(first: 100) {
      totalCount
      edges {
        node {
          id
          status
          attemptCount
          webhook {
            id
            name
          }
        }
      }
    }
  }
}
    `),"\n  query TokensList($workspaceId: ID!, $first: Int, $after: Cursor) {\n    viewer { token { id } }\n    node(id: $workspaceId) {\n      ... on Workspace {\n        id\n        name\n        apiTokens(first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {\n          totalCount\n          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n          edges {\n            node {\n              id\n              name\n              role\n              tokenPrefix\n              createdAt\n              lastUsedAt\n              expiresAt\n              revokedAt\n            }\n          }\n        }\n      }\n    }\n  }\n":new V(`
    query TokensList($workspaceId: ID!, $first: Int, $after: Cursor) {
  viewer {
    token {
      id
    }
  }
  node(id: $workspaceId) {
    ... on Workspace {
      id
      name
      apiTokens(
        first: $first
        after: $after
        orderBy: {field: CREATED_AT, direction: DESC}
      ) {
        totalCount
        pageInfo {
          hasNextPage
          hasPreviousPage
          startCursor
          endCursor
        }
        edges {
          node {
            id
            name
            role
            tokenPrefix
            createdAt
            lastUsedAt
            expiresAt
            revokedAt
          }
        }
      }
    }
  }
}
    `),"\n  mutation TokensCreate($input: CreateAPITokenInput!) {\n    createAPIToken(input: $input) {\n      token\n      apiToken { id name role tokenPrefix expiresAt }\n    }\n  }\n":new V(`
    mutation TokensCreate($input: CreateAPITokenInput!) {
  createAPIToken(input: $input) {
    token
    apiToken {
      id
      name
      role
      tokenPrefix
      expiresAt
    }
  }
}
    `),"\n  mutation TokensRevoke($id: ID!) {\n    revokeAPIToken(id: $id) { id revokedAt }\n  }\n":new V(`
    mutation TokensRevoke($id: ID!) {
  revokeAPIToken(id: $id) {
    id
    revokedAt
  }
}
    `),"\n  query WebhookDetails($id: ID!) {\n    node(id: $id) {\n      ... on Webhook {\n        id\n        createdAt\n        updatedAt\n        name\n        description\n        url\n        method\n        enabled\n        events\n        entityType\n        entityId\n        timeoutSeconds\n        disableAfterConsecutiveFailures\n        rateLimitPerSecond\n        disabledReason\n        disabledAt\n        secret\n        headers { name value }\n        authentication { type username jwtSecret ttlSeconds }\n        customData\n        retryPolicy { schedule maxAttempts }\n        workspace { id }\n      }\n    }\n  }\n":new V(`
    query WebhookDetails($id: ID!) {
  node(id: $id) {
    ... on Webhook {
      id
      createdAt
      updatedAt
      name
      description
      url
      method
      enabled
      events
      entityType
      entityId
      timeoutSeconds
      disableAfterConsecutiveFailures
      rateLimitPerSecond
      disabledReason
      disabledAt
      secret
      headers {
        name
        value
      }
      authentication {
        type
        username
        jwtSecret
        ttlSeconds
      }
      customData
      retryPolicy {
        schedule
        maxAttempts
      }
      workspace {
        id
      }
    }
  }
}
    `),"\n  mutation WebhookTrigger($id: ID!) {\n    triggerWebhook(id: $id) { id status event { id } }\n  }\n":new V(`
    mutation WebhookTrigger($id: ID!) {
  triggerWebhook(id: $id) {
    id
    status
    event {
      id
    }
  }
}
    `),"\n  query WebhookTriggerOutcome($id: ID!) {\n    node(id: $id) {\n      ... on Delivery { id status attempts { id success responseStatus errorKind error durationMs } }\n    }\n  }\n":new V(`
    query WebhookTriggerOutcome($id: ID!) {
  node(id: $id) {
    ... on Delivery {
      id
      status
      attempts {
        id
        success
        responseStatus
        errorKind
        error
        durationMs
      }
    }
  }
}
    `),"\n  subscription WebhookAttempts($workspaceId: ID!, $webhookId: ID) {\n    deliveryAttempts(workspaceId: $workspaceId, webhookId: $webhookId) {\n      id\n      success\n      responseStatus\n      errorKind\n      error\n      durationMs\n      startedAt\n      trigger\n      delivery { id }\n    }\n  }\n":new V(`
    subscription WebhookAttempts($workspaceId: ID!, $webhookId: ID) {
  deliveryAttempts(workspaceId: $workspaceId, webhookId: $webhookId) {
    id
    success
    responseStatus
    errorKind
    error
    durationMs
    startedAt
    trigger
    delivery {
      id
    }
  }
}
    `),"\n  mutation WebhookDetailsUpdate($id: ID!, $input: UpdateWebhookInput!) {\n    updateWebhook(id: $id, input: $input) { id enabled customData disabledReason }\n  }\n":new V(`
    mutation WebhookDetailsUpdate($id: ID!, $input: UpdateWebhookInput!) {
  updateWebhook(id: $id, input: $input) {
    id
    enabled
    customData
    disabledReason
  }
}
    `),"\n  mutation WebhookDelete($id: ID!) {\n    deleteWebhook(id: $id)\n  }\n":new V(`
    mutation WebhookDelete($id: ID!) {
  deleteWebhook(id: $id)
}
    `),"\n  query WebhookStatisticsNow($id: ID!) {\n    node(id: $id) {\n      ... on Webhook {\n        id\n        statistics { ...StatisticsFields }\n      }\n    }\n  }\n":new V(`
    query WebhookStatisticsNow($id: ID!) {
  node(id: $id) {
    ... on Webhook {
      id
      statistics {
        ...StatisticsFields
      }
    }
  }
}
    fragment StatisticsFields on WebhookStatistics {
  events
  triggers
  successResponses
  failureResponses
  failuresSinceLastSuccess
  lastEventAt
  nextTriggerAt
  lastSuccessAt
  lastFailureAt
  lastSuccess {
    id
    responseStatus
    durationMs
  }
  lastFailure {
    id
    responseStatus
    errorKind
    error
  }
}`),"\n  subscription WebhookStatisticsLive($id: ID!) {\n    webhookStatistics(webhookId: $id) { ...StatisticsFields }\n  }\n":new V(`
    subscription WebhookStatisticsLive($id: ID!) {
  webhookStatistics(webhookId: $id) {
    ...StatisticsFields
  }
}
    fragment StatisticsFields on WebhookStatistics {
  events
  triggers
  successResponses
  failureResponses
  failuresSinceLastSuccess
  lastEventAt
  nextTriggerAt
  lastSuccessAt
  lastFailureAt
  lastSuccess {
    id
    responseStatus
    durationMs
  }
  lastFailure {
    id
    responseStatus
    errorKind
    error
  }
}`),"\n  fragment StatisticsFields on WebhookStatistics {\n    events\n    triggers\n    successResponses\n    failureResponses\n    failuresSinceLastSuccess\n    lastEventAt\n    nextTriggerAt\n    lastSuccessAt\n    lastFailureAt\n    lastSuccess { id responseStatus durationMs }\n    lastFailure { id responseStatus errorKind error }\n  }\n":ht,"\n  query WebhookOutcomes($id: ID!, $since: Time!, $bucketSeconds: Int) {\n    node(id: $id) {\n      ... on Webhook { id outcomes(since: $since, bucketSeconds: $bucketSeconds) { start successes failures } }\n    }\n  }\n":new V(`
    query WebhookOutcomes($id: ID!, $since: Time!, $bucketSeconds: Int) {
  node(id: $id) {
    ... on Webhook {
      id
      outcomes(since: $since, bucketSeconds: $bucketSeconds) {
        start
        successes
        failures
      }
    }
  }
}
    `),"\n  mutation WebhookRotateSecret($id: ID!, $gracePeriodSeconds: Int) {\n    rotateWebhookSecret(id: $id, gracePeriodSeconds: $gracePeriodSeconds) { id secret }\n  }\n":new V(`
    mutation WebhookRotateSecret($id: ID!, $gracePeriodSeconds: Int) {
  rotateWebhookSecret(id: $id, gracePeriodSeconds: $gracePeriodSeconds) {
    id
    secret
  }
}
    `),"\n  query WebhookDeliveries($id: ID!, $first: Int, $after: Cursor, $where: DeliveryWhereInput) {\n    node(id: $id) {\n      ... on Webhook {\n        id\n        deliveries(first: $first, after: $after, where: $where, orderBy: { field: CREATED_AT, direction: DESC }) {\n          totalCount\n          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n          edges {\n            node {\n              id\n              status\n              attemptCount\n              createdAt\n              nextAttemptAt\n              completedAt\n              event { id type entityType entityId }\n              attempts { id number success responseStatus errorKind startedAt trigger }\n            }\n          }\n        }\n      }\n    }\n  }\n":new V(`
    query WebhookDeliveries($id: ID!, $first: Int, $after: Cursor, $where: DeliveryWhereInput) {
  node(id: $id) {
    ... on Webhook {
      id
      deliveries(
        first: $first
        after: $after
        where: $where
        orderBy: {field: CREATED_AT, direction: DESC}
      ) {
        totalCount
        pageInfo {
          hasNextPage
          hasPreviousPage
          startCursor
          endCursor
        }
        edges {
          node {
            id
            status
            attemptCount
            createdAt
            nextAttemptAt
            completedAt
            event {
              id
              type
              entityType
              entityId
            }
            attempts {
              id
              number
              success
              responseStatus
              errorKind
              startedAt
              trigger
            }
          }
        }
      }
    }
  }
}
    `),"\n  mutation WebhookDeliveryRetry($id: ID!) {\n    retryDelivery(id: $id) { id status attemptCount }\n  }\n":new V(`
    mutation WebhookDeliveryRetry($id: ID!) {
  retryDelivery(id: $id) {
    id
    status
    attemptCount
  }
}
    `),"\n  mutation WebhookReplay($input: ReplayDeliveriesInput!) {\n    replayDeliveries(input: $input) { count }\n  }\n":new V(`
    mutation WebhookReplay($input: ReplayDeliveriesInput!) {
  replayDeliveries(input: $input) {
    count
  }
}
    `),"\n  mutation WebhookTest($id: ID!, $eventType: String) {\n    testWebhook(id: $id, eventType: $eventType, wait: false) { id }\n  }\n":new V(`
    mutation WebhookTest($id: ID!, $eventType: String) {
  testWebhook(id: $id, eventType: $eventType, wait: false) {
    id
  }
}
    `),"\n  subscription WebhookTestRun($id: ID!) {\n    testRunUpdated(id: $id) {\n      id\n      status\n      startedAt\n      finishedAt\n      testsRun\n      testsSucceeded\n      testsFailed\n      tests { eventType success responseStatus durationMs error attempt { id } }\n    }\n  }\n":new V(`
    subscription WebhookTestRun($id: ID!) {
  testRunUpdated(id: $id) {
    id
    status
    startedAt
    finishedAt
    testsRun
    testsSucceeded
    testsFailed
    tests {
      eventType
      success
      responseStatus
      durationMs
      error
      attempt {
        id
      }
    }
  }
}
    `),"\n  query WebhookFormData($workspaceId: ID!, $id: ID!, $editing: Boolean!) {\n    eventTypes(workspaceId: $workspaceId, first: 500, orderBy: { field: NAME, direction: ASC }) {\n      edges { node { id name description } }\n    }\n    node(id: $id) @include(if: $editing) {\n      ... on Webhook {\n        id\n        name\n        description\n        url\n        method\n        enabled\n        events\n        entityType\n        entityId\n        headers { name value }\n        authentication { type username jwtSecret ttlSeconds }\n        customData\n        retryPolicy { schedule }\n        timeoutSeconds\n        disableAfterConsecutiveFailures\n        rateLimitPerSecond\n      }\n    }\n  }\n":new V(`
    query WebhookFormData($workspaceId: ID!, $id: ID!, $editing: Boolean!) {
  eventTypes(
    workspaceId: $workspaceId
    first: 500
    orderBy: {field: NAME, direction: ASC}
  ) {
    edges {
      node {
        id
        name
        description
      }
    }
  }
  node(id: $id) @include(if: $editing) {
    ... on Webhook {
      id
      name
      description
      url
      method
      enabled
      events
      entityType
      entityId
      headers {
        name
        value
      }
      authentication {
        type
        username
        jwtSecret
        ttlSeconds
      }
      customData
      retryPolicy {
        schedule
      }
      timeoutSeconds
      disableAfterConsecutiveFailures
      rateLimitPerSecond
    }
  }
}
    `),"\n  mutation WebhookCreate($input: CreateWebhookInput!) {\n    createWebhook(input: $input) { id }\n  }\n":new V(`
    mutation WebhookCreate($input: CreateWebhookInput!) {
  createWebhook(input: $input) {
    id
  }
}
    `),"\n  mutation WebhookUpdate($id: ID!, $input: UpdateWebhookInput!) {\n    updateWebhook(id: $id, input: $input) { id }\n  }\n":new V(`
    mutation WebhookUpdate($id: ID!, $input: UpdateWebhookInput!) {
  updateWebhook(id: $id, input: $input) {
    id
  }
}
    `),"\n  query WebhooksList($workspaceId: ID!, $first: Int, $after: Cursor, $where: WebhookWhereInput, $failing: Boolean) {\n    webhooks(workspaceId: $workspaceId, first: $first, after: $after, where: $where, failing: $failing, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges {\n        node {\n          id\n          name\n          url\n          enabled\n          events\n          entityType\n          entityId\n          disabledReason\n          statistics { lastSuccessAt lastFailureAt failuresSinceLastSuccess }\n        }\n      }\n    }\n  }\n":new V(`
    query WebhooksList($workspaceId: ID!, $first: Int, $after: Cursor, $where: WebhookWhereInput, $failing: Boolean) {
  webhooks(
    workspaceId: $workspaceId
    first: $first
    after: $after
    where: $where
    failing: $failing
    orderBy: {field: CREATED_AT, direction: DESC}
  ) {
    totalCount
    pageInfo {
      hasNextPage
      hasPreviousPage
      startCursor
      endCursor
    }
    edges {
      node {
        id
        name
        url
        enabled
        events
        entityType
        entityId
        disabledReason
        statistics {
          lastSuccessAt
          lastFailureAt
          failuresSinceLastSuccess
        }
      }
    }
  }
}
    `),"\n  query WorkspacesList($first: Int, $after: Cursor) {\n    workspaces(first: $first, after: $after, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges { node { id name createdAt exclusiveEventTypes } }\n    }\n  }\n":new V(`
    query WorkspacesList($first: Int, $after: Cursor) {
  workspaces(first: $first, after: $after, orderBy: {field: NAME, direction: ASC}) {
    totalCount
    pageInfo {
      hasNextPage
      hasPreviousPage
      startCursor
      endCursor
    }
    edges {
      node {
        id
        name
        createdAt
        exclusiveEventTypes
      }
    }
  }
}
    `),"\n  mutation WorkspacesCreate($input: CreateWorkspaceInput!) {\n    createWorkspace(input: $input) { id name createdAt exclusiveEventTypes }\n  }\n":new V(`
    mutation WorkspacesCreate($input: CreateWorkspaceInput!) {
  createWorkspace(input: $input) {
    id
    name
    createdAt
    exclusiveEventTypes
  }
}
    `)};function H(e){return gt[e]??{}}function U(e,t,n={}){let r=JSON.stringify(t),[i,a]=j({data:null,error:null,loading:!n.skip,key:r}),[o,s]=j(0),{generation:c}=L(lt),l=n.refresh?c:0,u=N(0);M(()=>{if(n.skip)return;let i=++u.current;a(e=>({...e,loading:!0,key:r})),ct(e,t).then(e=>i===u.current&&a({data:e,error:null,loading:!1,key:r}),e=>i===u.current&&a(t=>({data:t.key===r?t.data:null,error:e,loading:!1,key:r})))},[r,o,l,n.skip]);let d=je(()=>s(e=>e+1),[]),f=je(e=>a(t=>t.data?{...t,data:e(t.data)}:t),[]);return{data:i.key===r||i.data?i.data:null,error:i.error,loading:i.loading,reload:d,setData:f}}function _t(e,t,n,r={}){let i=JSON.stringify(t),a=N(n);a.current=n;let o=N(r.onError);o.current=r.onError,M(()=>{if(!r.skip)return pt(e,t,e=>a.current(e),e=>o.current?.(e))},[i,r.skip])}function W(e){let[t,n]=j({busy:!1,error:null}),r=je(async t=>{n({busy:!0,error:null});try{let r=await ct(e,t);return n({busy:!1,error:null}),r}catch(e){return n({busy:!1,error:e}),null}},[e]),i=je(()=>n({busy:!1,error:null}),[]);return{...t,run:r,clear:i}}var vt=`/console`;function yt(){let e=location.pathname.startsWith(`/console`)?location.pathname.slice(8):location.pathname;return e.startsWith(`/`)||(e=`/`+e),e.length>1&&e.endsWith(`/`)&&(e=e.slice(0,-1)),{path:e,query:new URLSearchParams(location.search)}}var bt=new Xe(yt());addEventListener(`popstate`,()=>bt.set(yt()));function xt(){return L(bt)}function G(e,t){let n=new URLSearchParams;for(let[e,r]of Object.entries(t??{}))r!=null&&r!==``&&n.set(e,r);let r=n.toString();return vt+e+(r?`?`+r:``)}function St(e,t=!1){t?history.replaceState(null,``,e):history.pushState(null,``,e),bt.set(yt()),t||scrollTo(0,0)}function K(e,t=!0){let{path:n,query:r}=yt(),i={};r.forEach((e,t)=>i[t]=e);for(let[t,n]of Object.entries(e))n==null||n===``?delete i[t]:i[t]=n;St(G(n,i),t)}function Ct(e,t){let n=e.split(`/`).filter(Boolean),r=t.split(`/`).filter(Boolean),i={};for(let e=0;e<Math.max(n.length,r.length);e++){let t=n[e];if(t==null)return null;let a=t.endsWith(`?`),o=t.replace(/^:/,``).replace(/\?$/,``);if(r[e]==null){if(a)continue;return null}if(t.startsWith(`:`))i[o]=decodeURIComponent(r[e]);else if(t!==r[e])return null}return i}function wt(e){if(e.defaultPrevented||e.button!==0||e.metaKey||e.ctrlKey||e.shiftKey||e.altKey)return;let t=e.target.closest(`a`);if(!t||t.target||t.hasAttribute(`download`))return;let n=new URL(t.href,location.href);n.origin!==location.origin||!n.pathname.startsWith(`/console/`)&&n.pathname!==`/console`||(e.preventDefault(),St(n.pathname+n.search))}var Tt=0;Array.isArray;function q(e,n,r,i,a,o){n||={};var s,c,l=n;if(`ref`in l)for(c in l={},n)c==`ref`?s=n[c]:l[c]=n[c];var u={type:e,props:l,key:r,ref:s,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:--Tt,__i:-1,__u:0,__source:a,__self:o};if(typeof e==`function`&&(s=e.defaultProps))for(c in s)l[c]===void 0&&(l[c]=s[c]);return t.vnode&&t.vnode(u),u}function J(e){M(()=>{document.title=(typeof e.title==`string`?e.title+` · `:``)+`hookd`},[e.title]);let t=N(!1);return ke(()=>{e.ready&&!t.current&&(t.current=!0,performance.mark(`ready:`+e.name))},[e.ready,e.name]),q(`main`,{"data-screen":e.name,"data-ready":e.ready?`true`:`false`,"aria-busy":!e.ready,children:[q(`header`,{class:`screen-head`,children:[q(`div`,{children:[q(`h1`,{children:e.title}),e.sub&&q(`p`,{class:`sub`,children:e.sub})]}),e.actions&&q(`div`,{class:`actions`,children:e.actions})]}),e.children]})}function Y(e){if(!e.error)return null;let t=e.error instanceof B?e.fields?e.error.unplaced(e.fields):e.error.errors:[{message:e.error.message,code:`ERROR`,field:null}];return t.length?q(`div`,{class:`error-note`,role:`alert`,children:t.map((e,t)=>q(`p`,{children:[q(`code`,{class:`code`,children:e.code}),` `,e.message,e.field&&q(`span`,{class:`muted`,children:[` (field `,e.field,`)`]})]},t))}):null}function X(e){let t=e.error?.forField(e.name)??null;return q(`div`,{class:`field`+(t?` invalid`:``)+(e.wide?` wide`:``),"data-field":e.name,children:[q(`label`,{children:[q(`span`,{class:`label`,children:e.label}),e.children]}),e.hint&&!t&&q(`p`,{class:`hint`,children:e.hint}),t&&q(`p`,{class:`field-error`,role:`alert`,children:t})]})}function Z(e){return q(`div`,{class:`empty`,children:e.children})}function Et(){return q(`p`,{class:`muted loading`,children:`Loading…`})}function Dt(e){let[t,n]=j(!1);return q(`button`,{type:`button`,class:`small`,onClick:async()=>{try{await navigator.clipboard.writeText(e.text),n(!0),setTimeout(()=>n(!1),1500)}catch{n(!1)}},children:t?`Copied`:e.label??`Copy`})}function Ot(e){if(typeof e==`string`){let t=e.trim();if(t.startsWith(`{`)||t.startsWith(`[`))try{return{text:JSON.stringify(JSON.parse(t),null,2),json:!0}}catch{return{text:e,json:!1}}return{text:e,json:!1}}return e===void 0?{text:``,json:!1}:{text:JSON.stringify(e,null,2),json:!0}}function kt(e){let{text:t}=Ot(e.value),n=t.split(`
`),r=e.lines??12,[i,a]=j(!1);if(!t)return q(`p`,{class:`muted`,children:e.empty??`(empty)`});let o=n.length>r||t.length>4e3,s=i||!o?t:n.slice(0,r).join(`
`).slice(0,4e3);return q(`div`,{class:`textview`,children:[q(`div`,{class:`textview-bar`,children:[e.label&&q(`span`,{class:`label`,children:e.label}),q(`span`,{class:`muted`,children:[t.length.toLocaleString(),` characters`]}),q(Dt,{text:t}),o&&q(`button`,{type:`button`,class:`small`,onClick:()=>a(!i),children:i?`Collapse`:`Show all ${n.length.toLocaleString()} lines`})]}),q(`pre`,{children:s})]})}function Q(e){if(!e.value)return q(`span`,{class:`muted`,children:e.empty??`—`});let t=new Date(e.value);return q(`time`,{dateTime:e.value,title:t.toISOString(),children:At(t)})}function At(e){let t=Math.round((Date.now()-e.getTime())/1e3),n=Math.abs(t),r=(e,t)=>`${e} ${t}${e===1?``:`s`}`,i;if(n<5)return`just now`;if(n<60)i=r(n,`second`);else if(n<3600)i=r(Math.round(n/60),`minute`);else if(n<86400)i=r(Math.round(n/3600),`hour`);else return e.toLocaleString();return t>=0?i+` ago`:`in `+i}function $(e){return q(`span`,{class:`badge `+e.kind,title:e.title,children:e.children})}var jt={SUCCEEDED:`ok`,FAILED:`bad`,PENDING:`wait`,CANCELLED:`muted`,RUNNING:`wait`,COMPLETED:`ok`};function Mt(e){return q($,{kind:jt[e.status]??`muted`,children:e.status.toLowerCase()})}function Nt(e){return q($,{kind:e.success?`ok`:`bad`,children:e.status?e.status:e.success?`ok`:(e.errorKind??`failed`).toLowerCase()})}function Pt(e){return q(`a`,{href:G(location.pathname.replace(/^\/console/,``),{...Object.fromEntries(new URLSearchParams(location.search)),attempt:e.id}),class:`attempt-link`,onClick:t=>{t.preventDefault(),K({attempt:e.id},!1)},children:e.children??`View request and response`})}function Ft(e){let t=e.pageInfo;if(!t||!t.hasNextPage&&!t.hasPreviousPage&&!new URLSearchParams(location.search).get(e.param??`after`))return null;let n=e.param??`after`;return q(`nav`,{class:`pager`,"aria-label":`pages`,children:[q(`button`,{type:`button`,disabled:!new URLSearchParams(location.search).get(n),onClick:()=>K({[n]:null,before:null}),children:`First page`}),q(`button`,{type:`button`,disabled:!t.hasNextPage,onClick:()=>K({[n]:t.endCursor??null}),children:`Next page`}),e.total!=null&&q(`span`,{class:`muted`,children:[e.total.toLocaleString(),` in all`]})]})}function It(e){let t=N(null);return M(()=>{let e=t.current;e&&!e.open&&e.showModal()},[]),q(`dialog`,{ref:t,class:`modal`,"data-dialog":e.name,onClose:e.onClose,onCancel:e.onClose,children:[q(`header`,{children:[q(`h2`,{children:e.title}),q(`button`,{type:`button`,class:`small`,"aria-label":`Close`,onClick:e.onClose,children:`Close`})]}),q(`div`,{class:`modal-body`,children:e.children})]})}function Lt(e){return q(`nav`,{class:`tabs`,role:`tablist`,children:e.tabs.map(t=>q(`button`,{type:`button`,role:`tab`,"aria-selected":t.id===e.current,class:t.id===e.current?`current`:``,onClick:()=>e.onSelect(t.id),children:t.label},t.id))})}function Rt(e){let t=null;if(e.value.trim())try{JSON.parse(e.value)}catch(e){t=e.message}return q(S,{children:[q(`textarea`,{name:e.name,class:`code-input`,rows:e.rows??8,spellcheck:!1,value:e.value,placeholder:e.placeholder,readOnly:e.readOnly,onInput:t=>e.onInput(t.target.value)}),t&&q(`p`,{class:`hint warn`,children:[`Not valid JSON yet: `,t]})]})}function zt(e,t){if(!e.trim())return{value:null,error:null};try{return{value:JSON.parse(e),error:null}}catch(e){return{value:null,error:new B([{message:`not valid JSON: ${e.message}`,code:`BAD_USER_INPUT`,field:t}])}}}var Bt=H(`
  query AttemptDetails($id: ID!) {
    node(id: $id) {
      ... on DeliveryAttempt {
        id
        number
        trigger
        startedAt
        durationMs
        success
        requestUrl
        requestMethod
        requestHeaders { name value }
        requestBody
        responseStatus
        responseHeaders { name value }
        responseBody
        error
        errorKind
        webhook { id name }
        delivery { id status attemptCount event { id type } }
      }
    }
  }
`),Vt=H(`
  mutation AttemptRetry($id: ID!) {
    retryDelivery(id: $id) { id status attemptCount }
  }
`);function Ht(e){let t=U(Bt,{id:e.id}),n=W(Vt),r=t.data?.node&&`requestUrl`in t.data.node?t.data.node:null,i=z(R.get().viewer);return q(It,{title:r?`Attempt ${r.number} · ${r.trigger.toLowerCase()}`:`Attempt`,onClose:e.onClose,name:`attempt`,children:[q(Y,{error:t.error}),!r&&!t.error&&(t.loading?q(Et,{}):q(`p`,{children:`This attempt does not exist (any more): attempts are purged after the retention period.`})),r&&q(`div`,{"data-attempt":r.id,"data-ready":`true`,children:[q(`dl`,{class:`props`,children:[q(`dt`,{children:`Outcome`}),q(`dd`,{children:[q(Nt,{success:r.success,status:r.responseStatus,errorKind:r.errorKind}),` `,r.error&&q(`span`,{class:`attempt-error`,children:r.error})]}),q(`dt`,{children:`Started`}),q(`dd`,{children:[q(Q,{value:r.startedAt}),` · `,r.durationMs,` ms`]}),r.webhook&&q(S,{children:[q(`dt`,{children:`Webhook`}),q(`dd`,{children:q(`a`,{href:G(`/webhooks/${r.webhook.id}`),children:r.webhook.name})})]}),r.delivery&&q(S,{children:[q(`dt`,{children:`Delivery`}),q(`dd`,{children:[q(Mt,{status:r.delivery.status}),` `,r.delivery.attemptCount,` attempt`,r.delivery.attemptCount===1?``:`s`,` · event`,` `,q(`a`,{href:G(`/events/${r.delivery.event.id}`),children:r.delivery.event.type}),` `,i.write&&q(`button`,{type:`button`,class:`small`,disabled:n.busy,onClick:()=>n.run({id:r.delivery.id}).then(e=>e&&t.reload()),children:`Retry delivery`})]})]})]}),q(Y,{error:n.error}),q(`div`,{class:`two`,children:[q(`section`,{"data-part":`request`,children:[q(`h3`,{children:`Request`}),q(`p`,{children:q(`code`,{children:[r.requestMethod,` `,r.requestUrl]})}),q(Ut,{headers:r.requestHeaders}),q(kt,{value:r.requestBody,label:`Body`})]}),q(`section`,{"data-part":`response`,children:[q(`h3`,{children:`Response`}),r.responseStatus==null?q(`p`,{class:`muted`,children:[`No response was received`,r.errorKind?` (${r.errorKind.toLowerCase()})`:``,`.`]}):q(S,{children:[q(`p`,{children:q(`code`,{children:[`HTTP `,r.responseStatus]})}),q(Ut,{headers:r.responseHeaders??[]}),q(kt,{value:r.responseBody??``,label:`Body (first 64 KiB)`,empty:`(empty body)`})]})]})]})]})]})}function Ut(e){return e.headers.length?q(`div`,{class:`headers`,children:e.headers.map((e,t)=>q(`div`,{children:[q(`b`,{children:e.name}),`: `,e.value]},t))}):q(`p`,{class:`muted`,children:`No headers.`})}var Wt=H(`
  query EventTypesList($workspaceId: ID!, $first: Int, $after: Cursor, $includeArchived: Boolean) {
    eventTypes(workspaceId: $workspaceId, first: $first, after: $after, includeArchived: $includeArchived, orderBy: { field: NAME, direction: ASC }) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges {
        node {
          id
          name
          description
          examplePayload
          schema
          archived
          subscribedWebhooks
          createdAt
          updatedAt
        }
      }
    }
  }
`),Gt=H(`
  mutation EventTypesCreate($input: CreateEventTypeInput!) {
    createEventType(input: $input) { id name }
  }
`),Kt=H(`
  mutation EventTypesUpdate($id: ID!, $input: UpdateEventTypeInput!) {
    updateEventType(id: $id, input: $input) { id name description examplePayload schema archived subscribedWebhooks updatedAt }
  }
`),qt=25,Jt=[`name`,`description`,`examplePayload`,`schema`],Yt={name:``,description:``,examplePayload:``,schema:``};function Xt(e){return e==null?``:JSON.stringify(e,null,2)}function Zt(e,t){let n=zt(e,`input.examplePayload`),r=zt(t,`input.schema`),i=[...n.error?.errors??[],...r.error?.errors??[]];return{examplePayload:n.value,schema:r.value,error:i.length?new B(i):null}}function Qt(e){let{query:t}=xt(),{viewer:n}=L(R),r=z(n),i=t.get(`archived`)===`1`,a=t.get(`after`),o=U(Wt,{workspaceId:e.workspaceId,first:qt,after:a,includeArchived:i}),s=o.data?.eventTypes,c=s?.edges?.flatMap(e=>e?.node?[e.node]:[])??[],l=W(Gt),u=W(Kt),[d,f]=j(Yt),[p,m]=j(null),[h,g]=j(null),[_,v]=j(null),[y,b]=j(null),x=p??l.error,C=e=>f(t=>({...t,...e})),w=async t=>{t.preventDefault(),m(null),g(null),l.clear();let n=Zt(d.examplePayload,d.schema);if(n.error){m(n.error);return}let r=await l.run({input:{workspaceId:e.workspaceId,name:d.name.trim(),description:d.description,examplePayload:n.examplePayload,schema:n.schema}});r&&(g(r.createEventType.name),f(Yt),o.reload())},ee=async(e,t)=>{b(null),await u.run({id:e.id,input:{archived:t}})&&(b(t?`Archived ${e.name}: webhooks can no longer subscribe to it and events can no longer be published with it.`:`Unarchived ${e.name}: it can be subscribed to and published again.`),o.reload())};return q(J,{name:`event-types`,title:`Event types`,sub:`The catalog of event types: webhooks subscribe to them and events are published with them.`,ready:!!o.data||!!o.error,actions:q(`label`,{class:`check`,children:[q(`input`,{type:`checkbox`,name:`includeArchived`,checked:i,onChange:e=>K({archived:e.target.checked?`1`:null,after:null})}),`Show archived`]}),children:[r.write&&!_&&q(`form`,{class:`form card`,"data-form":`create-event-type`,onSubmit:w,noValidate:!0,children:[q(`h2`,{class:`wide`,children:`New event type`}),q(X,{label:`Name`,name:`name`,error:x,hint:`Letters, digits, '.', '_' or '-', e.g. order.created. It cannot be changed later.`,children:q(`input`,{name:`name`,value:d.name,autoComplete:`off`,placeholder:`e.g. order.created`,onInput:e=>C({name:e.target.value})})}),q(X,{label:`Description`,name:`description`,error:x,children:q(`input`,{name:`description`,value:d.description,placeholder:`e.g. An order was placed`,onInput:e=>C({description:e.target.value})})}),q(X,{label:`Example payload (JSON, sent by test runs)`,name:`examplePayload`,error:x,children:q(Rt,{name:`examplePayload`,value:d.examplePayload,rows:6,placeholder:`{"orderId": "ORD-1", "total": 42.5}`,onInput:e=>C({examplePayload:e})})}),q(X,{label:`JSON schema (optional: published payloads must satisfy it)`,name:`schema`,error:x,children:q(Rt,{name:`schema`,value:d.schema,rows:6,placeholder:`{"type": "object", "required": ["orderId"]}`,onInput:e=>C({schema:e})})}),q(Y,{error:x,fields:Jt}),q(`div`,{class:`form-actions`,children:[q(`button`,{type:`submit`,class:`primary`,disabled:l.busy,children:`Create event type`}),h&&q(`span`,{class:`muted`,role:`status`,children:[`Created `,h,`.`]})]})]}),q(Y,{error:o.error}),q(Y,{error:u.error}),y&&q(`p`,{class:`banner info`,role:`status`,children:y}),!s&&!o.error&&q(Et,{}),s&&c.length===0&&q(Z,{children:[a?q(`p`,{children:`There are no more event types on this page.`}):r.write?q(`p`,{children:`No event types yet. Create one to let webhooks subscribe to it.`}):q(`p`,{children:`No event types yet. A token with the WRITE or ADMIN role can create them; webhooks then subscribe to them.`}),!i&&!a&&q(`p`,{children:`Archived event types are hidden: tick “Show archived” to see them.`})]}),c.length>0&&q(`table`,{"data-list":`event-types`,children:[q(`thead`,{children:q(`tr`,{children:[q(`th`,{children:`Name`}),q(`th`,{children:`Description`}),q(`th`,{children:`Subscribed webhooks`}),q(`th`,{children:`Updated`}),q(`th`,{})]})}),q(`tbody`,{children:c.map(e=>q(`tr`,{"data-id":e.id,"data-name":e.name,children:[q(`td`,{children:[q(`code`,{children:e.name}),` `,e.archived&&q($,{kind:`muted`,children:`archived`}),e.schema!=null&&q(S,{children:[` `,q($,{kind:`muted`,title:`Published payloads are validated against a JSON schema`,children:`schema`})]})]}),q(`td`,{children:e.description||q(`span`,{class:`muted`,children:`—`})}),q(`td`,{title:`Enabled webhooks subscribed to this type, by name or with "*"`,children:e.subscribedWebhooks}),q(`td`,{children:q(Q,{value:e.updatedAt})}),q(`td`,{children:q(`div`,{class:`row`,children:[q(`button`,{type:`button`,class:`small`,onClick:()=>v(e),children:r.write?`Edit`:`View`}),r.write&&(e.archived?q(`button`,{type:`button`,class:`small`,disabled:u.busy,onClick:()=>ee(e,!1),children:`Unarchive`}):q(`button`,{type:`button`,class:`small danger`,disabled:u.busy,onClick:()=>ee(e,!0),children:`Archive`}))]})})]},e.id))})]}),q(Ft,{pageInfo:s?.pageInfo,total:s?.totalCount}),_&&q($t,{et:_,canWrite:r.write,onClose:()=>v(null),onSaved:()=>{v(null),o.reload()}})]})}function $t(e){let{et:t}=e,n=W(Kt),[r,i]=j(t.description),[a,o]=j(Xt(t.examplePayload)),[s,c]=j(Xt(t.schema)),[l,u]=j(null),d=l??n.error;return e.canWrite?q(It,{title:`Edit ${t.name}`,onClose:e.onClose,name:`event-type`,children:q(`form`,{class:`form`,"data-form":`edit-event-type`,onSubmit:async i=>{i.preventDefault(),u(null),n.clear();let o=Zt(a,s);o.error?u(o.error):await n.run({id:t.id,input:{description:r,examplePayload:o.examplePayload,schema:o.schema}})&&e.onSaved()},noValidate:!0,children:[q(X,{label:`Description`,name:`description`,error:d,wide:!0,children:q(`input`,{name:`description`,value:r,onInput:e=>i(e.target.value)})}),q(X,{label:`Example payload (JSON; empty removes it)`,name:`examplePayload`,error:d,children:q(Rt,{name:`examplePayload`,value:a,rows:12,onInput:o})}),q(X,{label:`JSON schema (empty removes it)`,name:`schema`,error:d,children:q(Rt,{name:`schema`,value:s,rows:12,onInput:c})}),q(Y,{error:d,fields:Jt}),q(`div`,{class:`form-actions`,children:[q(`button`,{type:`submit`,class:`primary`,disabled:n.busy,children:`Save`}),q(`button`,{type:`button`,onClick:e.onClose,children:`Cancel`})]})]})}):q(It,{title:t.name,onClose:e.onClose,name:`event-type`,children:[q(`p`,{children:t.description||q(`span`,{class:`muted`,children:`No description.`})}),q(`h3`,{children:`Example payload`}),q(kt,{value:t.examplePayload,empty:`No example payload.`}),q(`h3`,{children:`JSON schema`}),q(kt,{value:t.schema,empty:`No schema: any payload is accepted.`})]})}var en=H(`
  query EventsList($workspaceId: ID!, $first: Int, $after: Cursor, $where: EventWhereInput) {
    events(workspaceId: $workspaceId, first: $first, after: $after, where: $where, orderBy: { field: OCCURRED_AT, direction: DESC }) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges {
        node {
          id
          type
          entityType
          entityId
          idempotencyKey
          occurredAt
          deliveries { totalCount }
        }
      }
    }
  }
`),tn=H(`
  query EventsTypeNames($workspaceId: ID!) {
    eventTypes(workspaceId: $workspaceId, first: 500, includeArchived: true, orderBy: { field: NAME, direction: ASC }) {
      edges { node { id name } }
    }
  }
`),nn=H(`
  query EventDetails($id: ID!, $first: Int, $after: Cursor) {
    node(id: $id) {
      ... on Event {
        id
        type
        payload
        entityType
        entityId
        idempotencyKey
        occurredAt
        createdAt
        deliveries(first: $first, after: $after, orderBy: { field: CREATED_AT, direction: ASC }) {
          totalCount
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          edges {
            node {
              id
              status
              attemptCount
              nextAttemptAt
              createdAt
              completedAt
              webhook { id name }
              attempts { id number trigger startedAt durationMs success responseStatus errorKind }
            }
          }
        }
      }
    }
  }
`),rn=H(`
  subscription EventAttempts($workspaceId: ID!, $eventId: ID!) {
    deliveryAttempts(workspaceId: $workspaceId, eventId: $eventId) { id }
  }
`),an=H(`
  mutation EventRetryDelivery($id: ID!) {
    retryDelivery(id: $id) { id status attemptCount nextAttemptAt }
  }
`),on=25;function sn(e){if(!e)return``;let t=new Date(e);if(Number.isNaN(t.getTime()))return``;let n=e=>String(e).padStart(2,`0`);return`${t.getFullYear()}-${n(t.getMonth()+1)}-${n(t.getDate())}T${n(t.getHours())}:${n(t.getMinutes())}`}function cn(e){if(!e)return null;let t=new Date(e);return Number.isNaN(t.getTime())?null:t.toISOString().replace(/\.\d{3}Z$/,`Z`)}function ln(e){return{type:e.get(`type`)??``,entityType:e.get(`entityType`)??``,entityId:e.get(`entityId`)??``,since:e.get(`since`)??``,until:e.get(`until`)??``}}function un(e){let{query:t}=xt(),{viewer:n}=L(R),r=z(n),i=ln(t),a=t.get(`after`),[o,s]=j(i);M(()=>s(ln(new URLSearchParams(location.search))),[JSON.stringify(i)]);let c={};i.type&&(c.type=i.type),i.entityType&&(c.entityType=i.entityType),i.entityId&&(c.entityID=i.entityId),i.since&&(c.occurredAtGTE=i.since),i.until&&(c.occurredAtLT=i.until);let l=U(en,{workspaceId:e.workspaceId,first:on,after:a,where:c}),u=U(tn,{workspaceId:e.workspaceId}).data?.eventTypes.edges?.flatMap(e=>e?.node?[e.node.name]:[])??[],d=l.data?.events,f=d?.edges?.flatMap(e=>e?.node?[e.node]:[])??[],p=Object.values(i).some(Boolean),m=e=>K({type:e.type.trim()||null,entityType:e.entityType.trim()||null,entityId:e.entityId.trim()||null,since:e.since||null,until:e.until||null,after:null}),h=e=>t=>s(n=>({...n,[e]:t.target.value})),g=e=>t=>m({...o,[e]:t.target.value}),_=e=>t=>{let n={...o,[e]:cn(t.target.value)??``};s(n),m(n)};return q(J,{name:`events`,title:`Events`,sub:`Published events, newest first, with the deliveries they made.`,ready:!!l.data||!!l.error,children:[q(`form`,{class:`filters`,role:`search`,onSubmit:e=>{e.preventDefault(),m(o)},children:[q(`label`,{children:[`Event type`,q(`input`,{name:`type`,list:`events-type-names`,value:o.type,autoComplete:`off`,placeholder:`e.g. order.created`,onInput:h(`type`),onChange:g(`type`)}),q(`datalist`,{id:`events-type-names`,children:u.map(e=>q(`option`,{value:e},e))})]}),q(`label`,{children:[`Entity type`,q(`input`,{name:`entityType`,value:o.entityType,autoComplete:`off`,placeholder:`e.g. supplier`,onInput:h(`entityType`),onChange:g(`entityType`)})]}),q(`label`,{children:[`Entity ID`,q(`input`,{name:`entityId`,value:o.entityId,autoComplete:`off`,placeholder:`e.g. 42`,onInput:h(`entityId`),onChange:g(`entityId`)})]}),q(`label`,{children:[`Occurred since`,q(`input`,{type:`datetime-local`,name:`since`,value:sn(o.since),onChange:_(`since`)})]}),q(`label`,{children:[`Occurred before`,q(`input`,{type:`datetime-local`,name:`until`,value:sn(o.until),onChange:_(`until`)})]}),q(`button`,{type:`submit`,children:`Apply filters`}),p&&q(`button`,{type:`button`,onClick:()=>{let e={type:``,entityType:``,entityId:``,since:``,until:``};s(e),m(e)},children:`Clear filters`})]}),q(Y,{error:l.error}),!d&&!l.error&&q(Et,{}),d&&f.length===0&&q(Z,{children:p?q(`p`,{children:`No event matches these filters. Widen the time range or clear the filters.`}):q(S,{children:[q(`p`,{children:`No events yet.`}),q(`p`,{children:r.publish?q(S,{children:[q(`a`,{href:G(`/publish`),children:`Publish one`}),` (or call publishEvent) and it is listed here with its deliveries.`]}):`Events appear here once they are published with publishEvent.`})]})}),f.length>0&&q(`table`,{"data-list":`events`,children:[q(`thead`,{children:q(`tr`,{children:[q(`th`,{children:`Type`}),q(`th`,{children:`Entity`}),q(`th`,{children:`Occurred`}),q(`th`,{children:`Deliveries`}),q(`th`,{children:`Idempotency key`}),q(`th`,{children:`ID`})]})}),q(`tbody`,{children:f.map(e=>q(`tr`,{"data-id":e.id,children:[q(`td`,{children:q(`a`,{href:G(`/events/${e.id}`),children:e.type})}),q(`td`,{children:e.entityType?`${e.entityType}:${e.entityId??``}`:q(`span`,{class:`muted`,children:`—`})}),q(`td`,{children:q(Q,{value:e.occurredAt})}),q(`td`,{children:e.deliveries.totalCount}),q(`td`,{children:e.idempotencyKey?q(`code`,{children:e.idempotencyKey}):q(`span`,{class:`muted`,children:`—`})}),q(`td`,{children:q(`a`,{href:G(`/events/${e.id}`),children:q(`code`,{children:e.id})})})]},e.id))})]}),q(Ft,{pageInfo:d?.pageInfo,total:d?.totalCount})]})}function dn(e){let{query:t}=xt(),{viewer:n,workspaceId:r}=L(R),i=z(n),a=t.get(`after`),o=U(nn,{id:e.id,first:on,after:a},{refresh:!0}),s=W(an),[c,l]=j(null),u=o.data?.node&&`payload`in o.data.node?o.data.node:null,d=N(null);M(()=>()=>{d.current&&clearTimeout(d.current)},[]),_t(rn,{workspaceId:r??``,eventId:e.id},()=>{d.current||=setTimeout(()=>{d.current=null,o.reload()},300)},{skip:!r||!u});let f=async e=>{l(null),await s.run({id:e})&&(l(e),o.reload())},p=u?.deliveries.edges?.flatMap(e=>e?.node?[e.node]:[])??[];return q(J,{name:`event`,title:u?u.type:`Event`,sub:u?u.id:void 0,ready:!!o.data||!!o.error,children:[q(`p`,{children:q(`a`,{href:G(`/events`),children:`← All events`})}),q(Y,{error:o.error}),!o.data&&!o.error&&q(Et,{}),(o.data&&!u||o.error?.code===`NOT_FOUND`)&&q(Z,{children:[q(`p`,{children:`This event does not exist (any more): events are purged after the retention period.`}),q(`p`,{children:[q(`a`,{href:G(`/events`),children:`See the events there are`}),`.`]})]}),u&&q(S,{children:[q(`section`,{class:`card`,children:q(`dl`,{class:`props`,children:[q(`dt`,{children:`Type`}),q(`dd`,{children:q(`code`,{children:u.type})}),q(`dt`,{children:`Entity`}),q(`dd`,{children:u.entityType?`${u.entityType}:${u.entityId??``}`:q(`span`,{class:`muted`,children:`none (every matching webhook)`})}),q(`dt`,{children:`Idempotency key`}),q(`dd`,{children:u.idempotencyKey?q(`code`,{children:u.idempotencyKey}):q(`span`,{class:`muted`,children:`none`})}),q(`dt`,{children:`Occurred`}),q(`dd`,{children:q(Q,{value:u.occurredAt})}),q(`dt`,{children:`Published`}),q(`dd`,{children:q(Q,{value:u.createdAt})})]})}),q(`h2`,{children:`Payload`}),q(kt,{value:u.payload,label:`payload`}),q(`h2`,{children:`Deliveries`}),q(Y,{error:s.error}),c&&q(`p`,{class:`banner info`,role:`status`,children:`Retry queued: the new attempt appears below as soon as it is made.`}),p.length===0?q(Z,{children:[q(`p`,{children:`No delivery: no enabled webhook matched this event's type and entity when it was published.`}),q(`p`,{children:i.write?q(`a`,{href:G(`/webhooks`),children:[`Subscribe a webhook to `,u.type]}):`A webhook subscribed to this type receives the next ones.`})]}):q(`table`,{"data-list":`deliveries`,children:[q(`thead`,{children:q(`tr`,{children:[q(`th`,{children:`Webhook`}),q(`th`,{children:`Status`}),q(`th`,{children:`Attempts`}),q(`th`,{children:`Next attempt`}),i.write&&q(`th`,{})]})}),q(`tbody`,{children:p.map(e=>q(`tr`,{"data-id":e.id,children:[q(`td`,{children:e.webhook?q(`a`,{href:G(`/webhooks/${e.webhook.id}`),children:e.webhook.name}):q(`span`,{class:`muted`,children:`deleted webhook`})}),q(`td`,{children:q(Mt,{status:e.status})}),q(`td`,{children:e.attempts.length===0?q(`span`,{class:`muted`,children:`none yet`}):q(`ol`,{class:`attempts`,style:{margin:0,paddingLeft:`1.4em`},children:e.attempts.map(e=>q(`li`,{"data-attempt":e.id,children:[`#`,e.number,` `,q(`span`,{class:`muted`,children:e.trigger.toLowerCase()}),` `,q(Nt,{success:e.success,status:e.responseStatus,errorKind:e.errorKind}),` `,q(`span`,{class:`muted`,children:[e.durationMs,` ms`]}),` `,q(Q,{value:e.startedAt}),` · `,q(Pt,{id:e.id})]},e.id))})}),q(`td`,{children:q(Q,{value:e.nextAttemptAt,empty:e.completedAt?`done`:`—`})}),i.write&&q(`td`,{children:q(`button`,{type:`button`,class:`small`,disabled:s.busy,onClick:()=>f(e.id),children:`Retry`})})]},e.id))})]}),q(Ft,{pageInfo:u.deliveries.pageInfo,total:u.deliveries.totalCount})]})]})}H(`
  fragment FeedAttempt on DeliveryAttempt {
    id
    number
    trigger
    startedAt
    durationMs
    success
    responseStatus
    errorKind
    error
    webhook { id name }
    delivery { id event { id type } }
  }
`);var fn=H(`
  query FeedRecent($workspaceId: ID!, $webhookId: ID, $first: Int) {
    deliveryAttempts(workspaceId: $workspaceId, webhookId: $webhookId, first: $first) {
      edges { node { ...FeedAttempt } }
    }
  }
`),pn=H(`
  subscription FeedLive($workspaceId: ID!, $webhookId: ID) {
    deliveryAttempts(workspaceId: $workspaceId, webhookId: $webhookId) { ...FeedAttempt }
  }
`),mn=H(`
  query FeedWebhooks($workspaceId: ID!) {
    webhooks(workspaceId: $workspaceId, first: 200, orderBy: { field: NAME, direction: ASC }) {
      edges { node { id name } }
    }
  }
`),hn=200;function gn(e){return e.sort((e,t)=>t.at-e.at).slice(0,hn)}function _n(e,t,n=!1){let[r,i]=j([]),[a,o]=j([]),[s,c]=j(null),[l,u]=j(!1),{generation:d,droppedAt:f,backAt:p}=L(lt),m=N(new Set),h=N(n);h.current=n;let g=e=>{let t=e.filter(e=>!m.current.has(e.id));return t.forEach(e=>m.current.add(e.id)),t.length&&i(e=>gn([...e,...t.map(e=>({kind:`attempt`,at:Date.parse(e.startedAt),attempt:e}))])),t.length};M(()=>{m.current=new Set,i([]),o([]),u(!1),ct(fn,{workspaceId:e,webhookId:t,first:50}).then(e=>{g(e.deliveryAttempts.edges?.flatMap(e=>e?.node?[e.node]:[])??[]),u(!0)},e=>{c(e),u(!0)})},[e,t]);let _=N(d);return M(()=>{if(d===_.current)return;_.current=d;let n=f??Date.now(),r=p??Date.now();ct(fn,{workspaceId:e,webhookId:t,first:100}).then(e=>{let t=g((e.deliveryAttempts.edges?.flatMap(e=>e?.node?[e.node]:[])??[]).filter(e=>Date.parse(e.startedAt)>=n-5e3));i(e=>gn([...e,{kind:`gap`,at:n,until:r,id:`gap-${d}`,recovered:t}]))},e=>c(e))},[d]),_t(pn,{workspaceId:e,webhookId:t},e=>{h.current?o(t=>[e.deliveryAttempts,...t]):g([e.deliveryAttempts])},{onError:e=>c(e)}),{rows:r,held:a,error:s,ready:l,release:()=>{g(a),o([])}}}function vn(e){let{query:t}=xt(),n=t.get(`webhook`),r=t.get(`outcome`)??``,[i,a]=j(!1),o=_n(e.workspaceId,n,i),s=U(mn,{workspaceId:e.workspaceId}),{state:c}=L(lt),l=o.rows.filter(e=>e.kind===`gap`||!r||r===`success`===e.attempt.success);return q(J,{name:`live`,title:q(S,{children:[q(`span`,{class:`live-dot`+(c===`connected`&&!i?``:` off`)}),`Live feed`]}),sub:`Every attempt as it is recorded, by any hookd process.`,ready:o.ready,actions:i?q(`button`,{type:`button`,class:`primary`,onClick:()=>{a(!1),o.release()},children:[`Resume`,o.held.length?` (${o.held.length} new)`:``]}):q(`button`,{type:`button`,onClick:()=>a(!0),children:`Pause`}),children:[q(`div`,{class:`filters`,children:[q(`label`,{children:[`Webhook`,q(`select`,{name:`webhook`,value:n??``,onChange:e=>K({webhook:e.target.value||null}),children:[q(`option`,{value:``,children:`All webhooks`}),(s.data?.webhooks.edges??[]).flatMap(e=>e?.node?[q(`option`,{value:e.node.id,children:e.node.name},e.node.id)]:[])]})]}),q(`label`,{children:[`Outcome`,q(`select`,{name:`outcome`,value:r,onChange:e=>K({outcome:e.target.value||null}),children:[q(`option`,{value:``,children:`All`}),q(`option`,{value:`success`,children:`Succeeded`}),q(`option`,{value:`failure`,children:`Failed`})]})]}),i&&q($,{kind:`wait`,children:[`paused`,o.held.length?`: ${o.held.length} held`:``]})]}),q(Y,{error:o.error}),o.ready&&l.length===0&&q(Z,{children:`No attempts yet. They appear here the moment any hookd process records one: publish an event or use Trigger Now on a webhook.`}),l.length>0&&q(yn,{rows:l})]})}function yn(e){return q(`table`,{"data-list":`attempts`,children:[q(`thead`,{children:q(`tr`,{children:[q(`th`,{children:`When`}),q(`th`,{children:`Webhook`}),q(`th`,{children:`Event`}),q(`th`,{children:`Trigger`}),q(`th`,{children:`Outcome`}),q(`th`,{children:`Duration`}),q(`th`,{})]})}),q(`tbody`,{children:e.rows.map(e=>e.kind===`gap`?q(`tr`,{class:`gap`,"data-gap":`true`,children:q(`td`,{colSpan:7,children:[`The live connection was down from `,new Date(e.at).toLocaleTimeString(),` to `,new Date(e.until).toLocaleTimeString(),`; `,e.recovered,` attempt`,e.recovered===1?``:`s`,` recorded meanwhile`,e.recovered?` were read again and are shown in place`:``,`.`]})},e.id):q(`tr`,{"data-id":e.attempt.id,"data-success":String(e.attempt.success),children:[q(`td`,{children:q(Q,{value:e.attempt.startedAt})}),q(`td`,{children:e.attempt.webhook?q(`a`,{href:G(`/webhooks/${e.attempt.webhook.id}`),children:e.attempt.webhook.name}):q(`span`,{class:`muted`,children:`deleted`})}),q(`td`,{children:e.attempt.delivery?q(`a`,{href:G(`/events/${e.attempt.delivery.event.id}`),children:e.attempt.delivery.event.type}):``}),q(`td`,{children:e.attempt.trigger.toLowerCase()}),q(`td`,{children:q(Nt,{success:e.attempt.success,status:e.attempt.responseStatus,errorKind:e.attempt.errorKind})}),q(`td`,{children:[e.attempt.durationMs,` ms`]}),q(`td`,{children:q(Pt,{id:e.attempt.id,children:`View`})})]},e.attempt.id))})]})}var bn=[{id:`1h`,label:`Last hour, by minute`,bucket:60,since:()=>xn(Date.now()-36e5,60)},{id:`24h`,label:`Last 24 hours, by hour`,bucket:3600,since:()=>xn(Date.now()-864e5,3600)},{id:`7d`,label:`Last 7 days, by 6 hours`,bucket:21600,since:()=>xn(Date.now()-6048e5,21600)}];function xn(e,t){return new Date(Math.floor(e/(t*1e3))*t*1e3).toISOString()}function Sn(e){let{buckets:t}=e,n=Math.max(1,...t.map(e=>e.successes+e.failures)),r=1e3,i=r/Math.max(t.length,1),a=t.reduce((e,t)=>e+t.successes+t.failures,0),o=t.reduce((e,t)=>e+t.failures,0);return q(`figure`,{style:{margin:0},"data-chart":`outcomes`,"data-total":a,children:[q(`svg`,{class:`chart`,viewBox:`0 0 ${r} 180`,preserveAspectRatio:`none`,role:`img`,"aria-label":`${a} attempts, ${o} failed`,children:[t.map((e,t)=>{let r=e.successes/n*160,a=e.failures/n*160;return q(`g`,{children:[q(`title`,{children:`${new Date(e.start).toLocaleString()}: ${e.successes} succeeded, ${e.failures} failed`}),q(`rect`,{class:`s`,x:t*i+1,y:160-r,width:Math.max(i-2,1),height:r}),q(`rect`,{class:`f`,x:t*i+1,y:160-r-a,width:Math.max(i-2,1),height:a})]},e.start)}),q(`text`,{class:`axis`,x:2,y:175,children:t.length?At(new Date(t[0].start)):``}),q(`text`,{class:`axis`,x:998,y:175,"text-anchor":`end`,children:`now`}),q(`text`,{class:`axis`,x:2,y:10,children:n})]}),q(`figcaption`,{class:`legend`,children:[q(`span`,{children:[q(`i`,{style:{background:`#3ba56b`}}),`succeeded`]}),q(`span`,{children:[q(`i`,{style:{background:`#e0584d`}}),`failed`]}),q(`span`,{children:[a.toLocaleString(),` attempts in this range, `,o.toLocaleString(),` failed`]})]})]})}var Cn=H(`
  query Overview($workspaceId: ID!, $since: Time!) {
    node(id: $workspaceId) {
      ... on Workspace {
        id
        name
        exclusiveEventTypes
        outcomes(since: $since, bucketSeconds: 60) { start successes failures }
      }
    }
    all: webhooks(workspaceId: $workspaceId, first: 1) { totalCount }
    enabled: webhooks(workspaceId: $workspaceId, first: 1, where: { enabled: true }) { totalCount }
    failing: webhooks(workspaceId: $workspaceId, first: 5, failing: true) {
      totalCount
      edges {
        node {
          id
          name
          url
          enabled
          statistics { failuresSinceLastSuccess lastFailureAt lastSuccessAt }
        }
      }
    }
    eventTypes(workspaceId: $workspaceId, first: 1) { totalCount }
  }
`);function wn(){return new Date(Math.floor((Date.now()-36e5)/6e4)*6e4).toISOString()}function Tn(e){let t=N(wn()),n=U(Cn,{workspaceId:e.workspaceId,since:t.current},{refresh:!0}),r=_n(e.workspaceId,null),i=z(R.get().viewer),a=r.rows[0]?.kind===`attempt`?r.rows[0].attempt.id:null,o=N(0);M(()=>{if(!a||!n.data)return;let e=Math.max(0,2e3-(Date.now()-o.current)),r=setTimeout(()=>{o.current=Date.now(),t.current=wn(),n.reload()},e);return()=>clearTimeout(r)},[a]);let s=n.data?.node&&`outcomes`in n.data.node?n.data.node:null,c=s?.outcomes??[],l=c.slice(-5),u=l.reduce((e,t)=>e+t.successes+t.failures,0)/Math.max(l.length,1),d=c.reduce((e,t)=>e+t.successes+t.failures,0),f=c.reduce((e,t)=>e+t.failures,0),p=n.data?.failing.edges?.flatMap(e=>e?.node?[e.node]:[])??[];return q(J,{name:`overview`,title:s?.name??`Overview`,ready:!!n.data||!!n.error,sub:s&&q(`code`,{children:s.id}),children:[q(Y,{error:n.error}),n.data&&q(S,{children:[q(`div`,{class:`grid`,children:[q(`a`,{class:`stat`,href:G(`/webhooks`),"data-stat":`webhooks`,children:[q(`div`,{class:`value`,children:n.data.all.totalCount}),q(`div`,{class:`name`,children:[`webhooks (`,n.data.enabled.totalCount,` enabled)`]})]}),q(`a`,{class:`stat`,href:G(`/webhooks`,{status:`failing`}),"data-stat":`failing`,children:[q(`div`,{class:`value`,children:n.data.failing.totalCount}),q(`div`,{class:`name`,children:`failing webhooks`})]}),q(`a`,{class:`stat`,href:G(`/event-types`),"data-stat":`eventTypes`,children:[q(`div`,{class:`value`,children:n.data.eventTypes.totalCount}),q(`div`,{class:`name`,children:`event types`})]}),q(`div`,{class:`stat`,"data-stat":`rate`,children:[q(`div`,{class:`value`,children:u.toFixed(+(u<10))}),q(`div`,{class:`name`,children:`attempts per minute (last 5 minutes)`})]}),q(`div`,{class:`stat`,"data-stat":`hour`,children:[q(`div`,{class:`value`,children:d.toLocaleString()}),q(`div`,{class:`name`,children:[`attempts in the last hour, `,f.toLocaleString(),` failed`]})]})]}),n.data.all.totalCount===0&&q(Z,{children:[q(`p`,{children:`This workspace has no webhooks yet.`}),q(`p`,{children:i.write?q(S,{children:[`Start with the `,q(`a`,{href:G(`/event-types`),children:`event type catalog`}),`, then `,q(`a`,{href:G(`/webhooks/new`),children:`create a webhook`}),`.`]}):`Ask someone with write access to create one.`})]}),q(`h2`,{children:`Attempts in the last hour`}),q(Sn,{buckets:c,bucketSeconds:60}),q(`h2`,{children:`Failing webhooks`}),p.length===0?q(`p`,{class:`muted`,children:`No webhook is failing.`}):q(`table`,{"data-list":`failing`,children:[q(`thead`,{children:q(`tr`,{children:[q(`th`,{children:`Webhook`}),q(`th`,{children:`Failures since last success`}),q(`th`,{children:`Last failure`}),q(`th`,{children:`Last success`})]})}),q(`tbody`,{children:p.map(e=>q(`tr`,{"data-id":e.id,children:[q(`td`,{children:[q(`a`,{href:G(`/webhooks/${e.id}/deliveries`,{status:`FAILED`}),children:e.name}),` `,!e.enabled&&q($,{kind:`muted`,children:`disabled`}),q(`div`,{class:`muted`,children:q(`code`,{children:e.url})})]}),q(`td`,{children:q($,{kind:`bad`,children:e.statistics.failuresSinceLastSuccess})}),q(`td`,{children:q(Q,{value:e.statistics.lastFailureAt})}),q(`td`,{children:q(Q,{value:e.statistics.lastSuccessAt,empty:`never`})})]},e.id))})]}),q(`h2`,{style:{marginTop:`16px`},children:[`Recent attempts `,q(`a`,{href:G(`/live`),class:`muted`,style:{fontSize:`13px`,fontWeight:400},children:`open the live feed`})]}),r.rows.length===0?q(`p`,{class:`muted`,children:`No attempts yet.`}):q(yn,{rows:r.rows.slice(0,10)})]})]})}var En=H(`
  query PublishEventTypes($workspaceId: ID!) {
    eventTypes(workspaceId: $workspaceId, first: 1000, orderBy: { field: NAME, direction: ASC }) {
      totalCount
      edges { node { id name description examplePayload } }
    }
  }
`),Dn=H(`
  mutation PublishEvent($input: PublishEventInput!) {
    publishEvent(input: $input) {
      id
      type
      entityType
      entityId
      idempotencyKey
      occurredAt
      deliveries(first: 100) {
        totalCount
        edges { node { id status attemptCount webhook { id name } } }
      }
    }
  }
`),On=[`type`,`payload`,`entityType`,`entityId`,`idempotencyKey`,`occurredAt`];function kn(e){return e==null?``:JSON.stringify(e,null,2)}function An(e){if(!e)return null;let t=new Date(e);return Number.isNaN(t.getTime())?null:t.toISOString().replace(/\.\d{3}Z$/,`Z`)}function jn(e){let{query:t}=xt(),{viewer:n}=L(R),r=z(n),i=U(En,{workspaceId:e.workspaceId},{skip:!r.read}),a=i.data?.eventTypes.edges?.flatMap(e=>e?.node?[e.node]:[])??[],o=!!i.data&&a.length===i.data.eventTypes.totalCount,s=r.read&&o&&a.length>0,c=W(Dn),[l,u]=j(()=>({type:t.get(`type`)??``,payload:``,entityType:``,entityId:``,idempotencyKey:``,occurredAt:``})),[d,f]=j(!1),[p,m]=j(null),[h,g]=j(null),_=p??c.error,v=e=>u(t=>({...t,...e})),y=e=>t=>v({[e]:t.target.value}),b=e=>a.find(t=>t.name===e)?.examplePayload,x=!d&&!l.payload&&l.type&&b(l.type)!=null?kn(b(l.type)):l.payload,S=e=>{v(d?{type:e}:{type:e,payload:kn(b(e))})},C=async t=>{t.preventDefault(),m(null),g(null),c.clear();let n=[];l.type.trim()||n.push({message:`choose the event type to publish`,code:`BAD_USER_INPUT`,field:`input.type`});let r=zt(x,`input.payload`);r.error?n.push(...r.error.errors):x.trim()||n.push({message:`payload is required: give any JSON value, e.g. {"orderId": "ORD-1"}`,code:`BAD_USER_INPUT`,field:`input.payload`});let i=An(l.occurredAt);if(l.occurredAt&&!i&&n.push({message:`not a valid date and time`,code:`BAD_USER_INPUT`,field:`input.occurredAt`}),n.length){m(new B(n));return}let a=await c.run({input:{workspaceId:e.workspaceId,type:l.type.trim(),payload:r.value,entityType:l.entityType.trim()||null,entityId:l.entityId.trim()||null,idempotencyKey:l.idempotencyKey||null,occurredAt:i}});a&&g(a.publishEvent)},w=a.find(e=>e.name===l.type);return r.publish?q(J,{name:`publish`,title:`Publish an event`,sub:`hookd delivers it to every enabled webhook subscribed to its type (and its entity, when given).`,ready:!r.read||!!i.data||!!i.error,children:[h&&q(Mn,{event:h,canRead:r.read}),q(`form`,{class:`form card`,"data-form":`publish`,onSubmit:C,noValidate:!0,children:[q(X,{label:`Event type`,name:`type`,error:_,hint:s?w?.description||`One of the workspace’s event types that are not archived.`:`The name of an existing, non-archived event type, e.g. order.created.`,children:s?q(`select`,{name:`type`,value:l.type,onChange:e=>S(e.target.value),children:[q(`option`,{value:``,children:`Choose an event type…`}),a.map(e=>q(`option`,{value:e.name,children:e.name},e.id)),l.type&&!w&&q(`option`,{value:l.type,children:l.type})]}):q(`input`,{name:`type`,value:l.type,autoComplete:`off`,placeholder:`e.g. order.created`,onInput:y(`type`)})}),q(`div`,{class:`field`,children:[r.read&&i.data&&a.length===0&&q(`p`,{class:`hint warn`,children:[`The workspace has no event types yet.`,` `,r.write?q(`a`,{href:G(`/event-types`),children:`Create one in the event type catalog`}):`Ask for one to be created in the event type catalog`,` first.`]}),i.error&&q(Y,{error:i.error})]}),q(X,{label:`Payload (JSON)`,name:`payload`,error:_,wide:!0,hint:s?`Prefilled from the type’s example payload; it is validated against the type’s schema, if it has one.`:`Validated against the type’s schema, if it has one.`,children:q(Rt,{name:`payload`,value:x,rows:10,placeholder:`{"orderId": "ORD-1", "total": 42.5}`,onInput:e=>{f(!0),v({payload:e})}})}),q(X,{label:`Entity type (optional)`,name:`entityType`,error:_,hint:`With an entity ID, only webhooks scoped to this entity (or not scoped) receive the event.`,children:q(`input`,{name:`entityType`,value:l.entityType,autoComplete:`off`,placeholder:`e.g. supplier`,onInput:y(`entityType`)})}),q(X,{label:`Entity ID (optional)`,name:`entityId`,error:_,children:q(`input`,{name:`entityId`,value:l.entityId,autoComplete:`off`,placeholder:`e.g. 42`,onInput:y(`entityId`)})}),q(X,{label:`Idempotency key (optional)`,name:`idempotencyKey`,error:_,hint:`Publishing again with the same key returns the first event and delivers nothing new.`,children:q(`input`,{name:`idempotencyKey`,value:l.idempotencyKey,autoComplete:`off`,onInput:y(`idempotencyKey`)})}),q(X,{label:`Occurred at (optional, default now)`,name:`occurredAt`,error:_,children:q(`input`,{type:`datetime-local`,name:`occurredAt`,value:l.occurredAt,onInput:y(`occurredAt`)})}),q(Y,{error:_,fields:On}),q(`div`,{class:`form-actions`,children:q(`button`,{type:`submit`,class:`primary`,disabled:c.busy,children:`Publish event`})})]})]}):q(J,{name:`publish`,title:`Publish an event`,ready:!0,children:q(Z,{children:[q(`p`,{children:[`This token’s role (`,n?.role??`none`,`) may not publish events: a token with the PUBLISH, WRITE or ADMIN role may.`]}),q(`p`,{children:[q(`a`,{href:G(`/events`),children:`See the events published so far`}),`.`]})]})})}function Mn(e){let t=e.event,n=t.deliveries.edges?.flatMap(e=>e?.node?[e.node]:[])??[];return q(`section`,{class:`once`,"data-published":t.id,role:`status`,children:[q(`p`,{children:[`Published `,q(`code`,{children:t.type}),` as `,q(`code`,{"data-event-id":!0,children:t.id}),` `,q(Dt,{text:t.id,label:`Copy ID`}),` `,e.canRead&&q(`a`,{href:G(`/events/${t.id}`),children:`View the event`})]}),q(`p`,{class:`muted`,children:[`Occurred `,q(Q,{value:t.occurredAt}),t.entityType&&` · entity ${t.entityType}:${t.entityId??``}`,t.idempotencyKey&&q(S,{children:[` `,`· idempotency key `,q(`code`,{children:t.idempotencyKey})]})]}),n.length===0?q(`p`,{children:[`No delivery: no enabled webhook is subscribed to this type`,t.entityType?` and entity`:``,`. The event is stored all the same.`]}):q(S,{children:[q(`p`,{children:[t.deliveries.totalCount,` deliver`,t.deliveries.totalCount===1?`y`:`ies`,`:`]}),q(`ul`,{"data-list":`published-deliveries`,children:n.map(t=>q(`li`,{"data-id":t.id,children:[t.webhook?e.canRead?q(`a`,{href:G(`/webhooks/${t.webhook.id}`),children:t.webhook.name}):t.webhook.name:q(`span`,{class:`muted`,children:`deleted webhook`}),` `,q(Mt,{status:t.status}),t.attemptCount>0&&q(`span`,{class:`muted`,children:[` · `,t.attemptCount,` attempt`,t.attemptCount===1?``:`s`]})]},t.id))}),e.canRead&&q(`p`,{class:`muted`,children:`Their attempts are shown on the event’s page as they are made.`})]})]})}var Nn=H(`
  query TokensList($workspaceId: ID!, $first: Int, $after: Cursor) {
    viewer { token { id } }
    node(id: $workspaceId) {
      ... on Workspace {
        id
        name
        apiTokens(first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {
          totalCount
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          edges {
            node {
              id
              name
              role
              tokenPrefix
              createdAt
              lastUsedAt
              expiresAt
              revokedAt
            }
          }
        }
      }
    }
  }
`),Pn=H(`
  mutation TokensCreate($input: CreateAPITokenInput!) {
    createAPIToken(input: $input) {
      token
      apiToken { id name role tokenPrefix expiresAt }
    }
  }
`),Fn=H(`
  mutation TokensRevoke($id: ID!) {
    revokeAPIToken(id: $id) { id revokedAt }
  }
`),In=25,Ln=[{role:`READ`,what:`reads everything but secrets`},{role:`PUBLISH`,what:`publishes events, nothing else`},{role:`WRITE`,what:`manages webhooks and event types, publishes, retries`},{role:`ADMIN`,what:`everything in the workspace, including tokens and secrets`}],Rn=[`name`,`role`,`expiresAt`];function zn(e){if(!e)return null;let t=new Date(e);return Number.isNaN(t.getTime())?null:t.toISOString().replace(/\.\d{3}Z$/,`Z`)}function Bn(e){return e.revokedAt?{kind:`bad`,label:`revoked`}:e.expiresAt&&new Date(e.expiresAt).getTime()<=Date.now()?{kind:`muted`,label:`expired`}:{kind:`ok`,label:`active`}}function Vn(e){let{query:t}=xt(),{viewer:n}=L(R),r=z(n),i=t.get(`after`),a=U(Nn,{workspaceId:e.workspaceId,first:In,after:i},{skip:!r.manage}),o=a.data?.node&&`apiTokens`in a.data.node?a.data.node:null,s=o?.apiTokens,c=s?.edges?.flatMap(e=>e?.node?[e.node]:[])??[],l=a.data?.viewer.token?.id??null,u=W(Pn),d=W(Fn),[f,p]=j(``),[m,h]=j(`READ`),[g,_]=j(``),[v,y]=j(null),[b,x]=j(null),[S,C]=j(null),w=v??u.error;if(!r.manage)return q(J,{name:`tokens`,title:`API tokens`,ready:!0,children:q(Z,{children:q(`p`,{children:`API tokens are managed with a token that has the ADMIN role (or an instance admin token).`})})});let ee=async t=>{t.preventDefault(),y(null),u.clear();let n=zn(g);if(g&&!n){y(new B([{message:`not a valid date and time`,code:`BAD_USER_INPUT`,field:`input.expiresAt`}]));return}let r=await u.run({input:{workspaceId:e.workspaceId,name:f.trim()||null,role:m,expiresAt:n}});r&&(x({token:r.createAPIToken.token,name:r.createAPIToken.apiToken.name,role:r.createAPIToken.apiToken.role??m}),p(``),_(``),a.reload())},T=async e=>{await d.run({id:e})&&(C(null),a.reload())};return q(J,{name:`tokens`,title:`API tokens`,sub:o?`Tokens of the workspace ${o.name}. hookd stores only their hash: a token is shown once, when it is created.`:void 0,ready:!!a.data||!!a.error,children:[b&&q(`section`,{class:`once`,"data-token-once":!0,role:`status`,children:[q(`p`,{children:q(`strong`,{children:[`Token `,b.name?`“${b.name}” `:``,`(`,b.role,`) created. Copy it now: it will not be shown again.`]})}),q(`p`,{class:`row`,children:[q(`code`,{"data-token":!0,children:b.token}),` `,q(Dt,{text:b.token,label:`Copy token`})]}),q(`p`,{class:`muted`,children:`Send it as the header Authorization: Bearer <token>. If it is lost, revoke it and create another.`}),q(`button`,{type:`button`,class:`small`,onClick:()=>x(null),children:`I have copied it`})]}),q(`form`,{class:`form card`,"data-form":`create-token`,onSubmit:ee,noValidate:!0,children:[q(`h2`,{class:`wide`,children:`New token`}),q(X,{label:`Name`,name:`name`,error:w,hint:`What or who uses it, e.g. orders-service.`,children:q(`input`,{name:`name`,value:f,autoComplete:`off`,placeholder:`e.g. orders-service`,onInput:e=>p(e.target.value)})}),q(X,{label:`Role`,name:`role`,error:w,hint:Ln.find(e=>e.role===m)?.what,children:q(`select`,{name:`role`,value:m,onChange:e=>h(e.target.value),children:Ln.map(e=>q(`option`,{value:e.role,children:e.role},e.role))})}),q(X,{label:`Expires (optional)`,name:`expiresAt`,error:w,hint:`Empty: it never expires (revoke it when it is no longer needed).`,children:q(`input`,{type:`datetime-local`,name:`expiresAt`,value:g,onInput:e=>_(e.target.value)})}),q(Y,{error:w,fields:Rn}),q(`div`,{class:`form-actions`,children:q(`button`,{type:`submit`,class:`primary`,disabled:u.busy,children:`Create token`})})]}),q(Y,{error:a.error}),q(Y,{error:d.error}),!a.data&&!a.error&&q(Et,{}),s&&c.length===0&&q(Z,{children:q(`p`,{children:`No API tokens in this workspace yet. Create one above for each service or person that calls hookd.`})}),c.length>0&&q(`table`,{"data-list":`tokens`,children:[q(`thead`,{children:q(`tr`,{children:[q(`th`,{children:`Name`}),q(`th`,{children:`Role`}),q(`th`,{children:`Prefix`}),q(`th`,{children:`Created`}),q(`th`,{children:`Last used`}),q(`th`,{children:`Expires`}),q(`th`,{children:`State`}),q(`th`,{})]})}),q(`tbody`,{children:c.map(e=>{let t=Bn(e);return q(`tr`,{"data-id":e.id,"data-name":e.name,children:[q(`td`,{children:[e.name||q(`span`,{class:`muted`,children:`(unnamed)`}),` `,e.id===l&&q($,{kind:`wait`,title:`The token this console is signed in with`,children:`this session`})]}),q(`td`,{children:q($,{kind:`muted`,children:e.role??`admin`})}),q(`td`,{children:q(`code`,{children:[e.tokenPrefix,`…`]})}),q(`td`,{children:q(Q,{value:e.createdAt})}),q(`td`,{children:q(Q,{value:e.lastUsedAt,empty:`never`})}),q(`td`,{children:q(Q,{value:e.expiresAt,empty:`never`})}),q(`td`,{children:[q($,{kind:t.kind,children:t.label}),` `,e.revokedAt&&q(Q,{value:e.revokedAt})]}),q(`td`,{children:!e.revokedAt&&(S===e.id?q(`div`,{class:`row`,"data-confirm":e.id,children:[q(`span`,{children:e.id===l?`This console is signed in with this token: you will be signed out.`:`Requests with this token will fail at once.`}),q(`button`,{type:`button`,class:`small danger`,disabled:d.busy,onClick:()=>T(e.id),children:`Confirm revoke`}),q(`button`,{type:`button`,class:`small`,onClick:()=>{C(null),d.clear()},children:`Cancel`})]}):q(`button`,{type:`button`,class:`small danger`,onClick:()=>{d.clear(),C(e.id)},children:`Revoke`}))})]},e.id)})})]}),q(Ft,{pageInfo:s?.pageInfo,total:s?.totalCount})]})}var Hn=H(`
  query WebhookDetails($id: ID!) {
    node(id: $id) {
      ... on Webhook {
        id
        createdAt
        updatedAt
        name
        description
        url
        method
        enabled
        events
        entityType
        entityId
        timeoutSeconds
        disableAfterConsecutiveFailures
        rateLimitPerSecond
        disabledReason
        disabledAt
        secret
        headers { name value }
        authentication { type username jwtSecret ttlSeconds }
        customData
        retryPolicy { schedule maxAttempts }
        workspace { id }
      }
    }
  }
`),Un=[{id:`general`,label:`General`},{id:`statistics`,label:`Statistics`},{id:`http`,label:`HTTP settings`},{id:`custom-data`,label:`Custom data`},{id:`deliveries`,label:`Deliveries`},{id:`test`,label:`Test`}],Wn=H(`
  mutation WebhookTrigger($id: ID!) {
    triggerWebhook(id: $id) { id status event { id } }
  }
`),Gn=H(`
  query WebhookTriggerOutcome($id: ID!) {
    node(id: $id) {
      ... on Delivery { id status attempts { id success responseStatus errorKind error durationMs } }
    }
  }
`),Kn=H(`
  subscription WebhookAttempts($workspaceId: ID!, $webhookId: ID) {
    deliveryAttempts(workspaceId: $workspaceId, webhookId: $webhookId) {
      id
      success
      responseStatus
      errorKind
      error
      durationMs
      startedAt
      trigger
      delivery { id }
    }
  }
`),qn=H(`
  mutation WebhookDetailsUpdate($id: ID!, $input: UpdateWebhookInput!) {
    updateWebhook(id: $id, input: $input) { id enabled customData disabledReason }
  }
`),Jn=H(`
  mutation WebhookDelete($id: ID!) {
    deleteWebhook(id: $id)
  }
`);function Yn(e){let t=U(Hn,{id:e.id}),n=t.data?.node&&`url`in t.data.node?t.data.node:null,r=z(R.get().viewer),[i,a]=j(null),o=W(Wn),s=W(qn),c=W(Jn),[l,u]=j(!1),d=N(i);d.current=i;let[f,p]=j(0);return _t(Kn,{workspaceId:e.workspaceId,webhookId:e.id},e=>{let t=e.deliveryAttempts;p(e=>e+1);let n=d.current;n&&!n.attempt&&t.delivery?.id===n.deliveryId&&a({...n,attempt:t})},{skip:!n}),n?q(J,{name:`webhook`,title:n.name,sub:q(S,{children:[q(`code`,{children:n.url}),` `,n.enabled?q($,{kind:`ok`,children:`enabled`}):q($,{kind:`muted`,children:`disabled`})]}),ready:!0,actions:q(S,{children:[r.write&&q(`button`,{type:`button`,class:`primary`,disabled:o.busy,onClick:async()=>{a(null);let t=await o.run({id:e.id});if(!t)return;let n=t.triggerWebhook.id;a({deliveryId:n,attempt:null}),setTimeout(async()=>{try{let e=await ct(Gn,{id:n}),t=(e.node&&`attempts`in e.node?e.node:null)?.attempts[0];t&&d.current?.deliveryId===n&&!d.current.attempt&&a({deliveryId:n,attempt:{...t,delivery:{id:n}}})}catch{}},1500)},children:`Trigger Now`}),r.write&&q(`button`,{type:`button`,onClick:()=>St(G(`/webhooks/${n.id}/test`)),children:`Send Test Event`}),r.write&&q(`a`,{href:G(`/webhooks/${n.id}/edit`),children:q(`button`,{type:`button`,children:`Edit`})}),r.write&&q(`button`,{type:`button`,disabled:s.busy,onClick:()=>s.run({id:n.id,input:{enabled:!n.enabled}}).then(e=>e&&t.reload()),children:n.enabled?`Disable`:`Enable`}),r.write&&(l?q(`button`,{type:`button`,class:`danger`,onClick:()=>c.run({id:n.id}).then(e=>e&&St(G(`/webhooks`))),children:`Confirm delete`}):q(`button`,{type:`button`,class:`danger`,onClick:()=>u(!0),children:`Delete`}))]}),children:[q(Y,{error:o.error??s.error??c.error}),i&&q(`div`,{class:`banner info`,role:`status`,"data-trigger":i.attempt?`done`:`waiting`,children:i.attempt?q(S,{children:[`Trigger Now: `,q(Nt,{success:i.attempt.success,status:i.attempt.responseStatus,errorKind:i.attempt.errorKind}),` in `,i.attempt.durationMs,` ms`,i.attempt.error&&q(S,{children:[` · `,i.attempt.error]}),` · `,q(Pt,{id:i.attempt.id,children:`View response`})]}):q(S,{children:`Trigger Now: a webhook.ping was sent; waiting for its outcome…`})}),!n.enabled&&n.disabledReason&&q(`p`,{class:`banner warn`,children:[`Disabled: `,n.disabledReason]}),q(Lt,{tabs:Un,current:e.tab,onSelect:e=>St(G(`/webhooks/${n.id}${e===`general`?``:`/`+e}`))}),q(`section`,{"data-tab":e.tab,children:[e.tab===`general`&&q(Xn,{w:n}),e.tab===`statistics`&&q(er,{id:n.id}),e.tab===`http`&&q(nr,{w:n,reload:t.reload}),e.tab===`custom-data`&&q(rr,{w:n,reload:t.reload}),e.tab===`deliveries`&&q(lr,{w:n,workspaceId:e.workspaceId,tick:f}),e.tab===`test`&&q(fr,{w:n})]})]}):q(J,{name:`webhook`,title:`Webhook`,ready:!!t.error||!!t.data&&!n,children:t.error?q(Y,{error:t.error}):t.loading?q(Et,{}):q(Z,{children:`This webhook does not exist, or this token may not see it.`})})}function Xn(e){let t=e.w;return q(`div`,{class:`card`,children:q(`dl`,{class:`props`,children:[q(`dt`,{children:`Name`}),q(`dd`,{children:t.name}),q(`dt`,{children:`Description`}),q(`dd`,{children:t.description||q(`span`,{class:`muted`,children:`none`})}),q(`dt`,{children:`ID`}),q(`dd`,{children:[q(`code`,{children:t.id}),` `,q(Dt,{text:t.id})]}),q(`dt`,{children:`Events`}),q(`dd`,{children:t.events.map(e=>q(`span`,{class:`tag`,children:e},e))}),q(`dt`,{children:`Entity scope`}),q(`dd`,{children:t.entityType?`${t.entityType}:${t.entityId}`:q(`span`,{class:`muted`,children:`every entity`})}),q(`dt`,{children:`Status`}),q(`dd`,{children:[t.enabled?`enabled`:`disabled`,t.disabledAt&&q(S,{children:[` `,`since `,q(Q,{value:t.disabledAt})]}),t.disabledReason&&q(S,{children:[` (`,t.disabledReason,`)`]})]}),q(`dt`,{children:`Retries`}),q(`dd`,{children:[`up to `,t.retryPolicy.maxAttempts,` attempts, waiting `,t.retryPolicy.schedule.map(e=>`${e} s`).join(`, `)]}),q(`dt`,{children:`Timeout`}),q(`dd`,{children:[t.timeoutSeconds,` s`]}),q(`dt`,{children:`Disabled after`}),q(`dd`,{children:t.disableAfterConsecutiveFailures?`${t.disableAfterConsecutiveFailures} consecutive failures`:`never`}),q(`dt`,{children:`Rate limit`}),q(`dd`,{children:t.rateLimitPerSecond?`${t.rateLimitPerSecond} requests per second`:`unlimited`}),q(`dt`,{children:`Created`}),q(`dd`,{children:q(Q,{value:t.createdAt})}),q(`dt`,{children:`Updated`}),q(`dd`,{children:q(Q,{value:t.updatedAt})})]})})}var Zn=H(`
  query WebhookStatisticsNow($id: ID!) {
    node(id: $id) {
      ... on Webhook {
        id
        statistics { ...StatisticsFields }
      }
    }
  }
`),Qn=H(`
  subscription WebhookStatisticsLive($id: ID!) {
    webhookStatistics(webhookId: $id) { ...StatisticsFields }
  }
`);H(`
  fragment StatisticsFields on WebhookStatistics {
    events
    triggers
    successResponses
    failureResponses
    failuresSinceLastSuccess
    lastEventAt
    nextTriggerAt
    lastSuccessAt
    lastFailureAt
    lastSuccess { id responseStatus durationMs }
    lastFailure { id responseStatus errorKind error }
  }
`);var $n=H(`
  query WebhookOutcomes($id: ID!, $since: Time!, $bucketSeconds: Int) {
    node(id: $id) {
      ... on Webhook { id outcomes(since: $since, bucketSeconds: $bucketSeconds) { start successes failures } }
    }
  }
`);function er(e){let t=U(Zn,{id:e.id},{refresh:!0}),[n,r]=j(null),[i,a]=j(bn[1]),[o,s]=j(()=>i.since()),c=U($n,{id:e.id,since:o,bucketSeconds:i.bucket}),l=N(null),u=(t.data?.node&&`statistics`in t.data.node?t.data.node:null)?.statistics??null;M(()=>r(null),[t.data]),_t(Qn,{id:e.id},e=>{r(e.webhookStatistics),l.current??=window.setTimeout(()=>{l.current=null,c.reload()},1e3)}),M(()=>()=>void(l.current!=null&&clearTimeout(l.current)),[]);let d=n??u;return d?q(`div`,{"data-statistics":`true`,children:[q(`div`,{class:`grid`,children:[[`events`,`Events`,d.events],[`triggers`,`Triggers (attempts)`,d.triggers],[`successResponses`,`Success responses`,d.successResponses],[`failureResponses`,`Failure responses`,d.failureResponses],[`failuresSinceLastSuccess`,`Failures since last success`,d.failuresSinceLastSuccess]].map(([e,t,n])=>q(`div`,{class:`stat`,"data-stat":e,children:[q(`div`,{class:`value`,children:typeof n==`number`?n.toLocaleString():n}),q(`div`,{class:`name`,children:t})]},e))}),q(`div`,{class:`card`,children:q(`dl`,{class:`props`,children:[q(`dt`,{children:`Last event`}),q(`dd`,{children:q(Q,{value:d.lastEventAt,empty:`never`})}),q(`dt`,{children:`Next trigger (earliest retry)`}),q(`dd`,{children:q(Q,{value:d.nextTriggerAt,empty:`none scheduled`})}),q(`dt`,{children:`Last success`}),q(`dd`,{children:[q(Q,{value:d.lastSuccessAt,empty:`never`}),` `,d.lastSuccess&&q(Pt,{id:d.lastSuccess.id,children:`View response`})]}),q(`dt`,{children:`Last failure`}),q(`dd`,{children:[q(Q,{value:d.lastFailureAt,empty:`never`}),` `,d.lastFailure&&q(S,{children:[d.lastFailure.error??``,` `,q(Pt,{id:d.lastFailure.id,children:`View response`})]})]})]})}),q(`div`,{class:`row`,children:[q(`h3`,{children:`Outcomes over time`}),q(`select`,{name:`range`,value:i.id,onChange:e=>{let t=bn.find(t=>t.id===e.target.value)??bn[1];a(t),s(t.since())},children:bn.map(e=>q(`option`,{value:e.id,children:e.label},e.id))})]}),q(Y,{error:c.error}),c.data?.node&&`outcomes`in c.data.node&&q(Sn,{buckets:c.data.node.outcomes,bucketSeconds:i.bucket})]}):t.error?q(Y,{error:t.error}):q(Et,{})}var tr=H(`
  mutation WebhookRotateSecret($id: ID!, $gracePeriodSeconds: Int) {
    rotateWebhookSecret(id: $id, gracePeriodSeconds: $gracePeriodSeconds) { id secret }
  }
`);function nr(e){let t=e.w,n=z(R.get().viewer),[r,i]=j(!1),[a,o]=j(`86400`),s=W(tr),[c,l]=j(!1);return q(`div`,{class:`card`,"data-http":`true`,children:[q(`dl`,{class:`props`,children:[q(`dt`,{children:`Method`}),q(`dd`,{children:t.method}),q(`dt`,{children:`URL`}),q(`dd`,{children:q(`code`,{children:t.url})}),q(`dt`,{children:`Headers`}),q(`dd`,{children:t.headers.length?q(Ut,{headers:t.headers}):q(`span`,{class:`muted`,children:`none`})}),q(`dt`,{children:`Authentication`}),q(`dd`,{"data-auth":t.authentication.type,children:[t.authentication.type===`NONE`&&`none (the signature only)`,t.authentication.type===`BASIC`&&q(S,{children:[`basic, user `,t.authentication.username,` (the password is never shown)`]}),t.authentication.type===`JWT`&&q(S,{children:[`JWT bearer token, lifetime `,t.authentication.ttlSeconds,` s`,t.authentication.jwtSecret&&q(S,{children:[`, secret `,q(`span`,{class:`secret`,children:r?t.authentication.jwtSecret:`••••••••`})]})]})]}),q(`dt`,{children:`Signing secret`}),q(`dd`,{children:t.secret==null?q(`span`,{class:`muted`,children:`Hidden: this token's role may not read secrets.`}):q(S,{children:[q(`span`,{class:`secret`,"data-secret":r?`shown`:`hidden`,children:r?t.secret:`whsec_••••••••••••••••`}),` `,q(`button`,{type:`button`,class:`small`,onClick:()=>i(!r),children:r?`Hide`:`Reveal`}),` `,q(Dt,{text:t.secret})]})})]}),n.write&&t.secret!=null&&q(`form`,{class:`row`,style:{marginTop:`16px`},onSubmit:async n=>{n.preventDefault();let r=a.trim()===``?null:Number(a);await s.run({id:t.id,gracePeriodSeconds:r})&&(l(!0),i(!0),e.reload())},children:[q(X,{label:`Grace period for the old secret (seconds)`,name:`gracePeriodSeconds`,error:s.error,children:q(`input`,{name:`gracePeriodSeconds`,inputMode:`numeric`,value:a,onInput:e=>o(e.target.value)})}),q(`button`,{type:`submit`,disabled:s.busy,children:`Generate New Key`}),c&&q(`span`,{role:`status`,children:`A new secret was generated; requests are signed with both until the grace period ends.`})]}),q(Y,{error:s.error,fields:[`gracePeriodSeconds`]})]})}function rr(e){let t=z(R.get().viewer),[n,r]=j(e.w.customData==null?``:JSON.stringify(e.w.customData,null,2)),i=W(qn),[a,o]=j(null),[s,c]=j(!1);return q(`form`,{class:`card`,onSubmit:async t=>{t.preventDefault(),c(!1);let r=zt(n,`input.customData`);o(r.error),r.error||await i.run({id:e.w.id,input:{customData:r.value}})&&(c(!0),e.reload())},children:[q(`p`,{class:`muted`,children:`Any JSON object; every request carries it as "custom".`}),q(X,{label:`Custom data`,name:`customData`,error:a??i.error,children:q(Rt,{name:`customData`,value:n,onInput:r,rows:14,readOnly:!t.write})}),q(Y,{error:a??i.error,fields:[`customData`]}),t.write&&q(`div`,{class:`form-actions`,children:[q(`button`,{type:`submit`,class:`primary`,disabled:i.busy,children:`Save custom data`}),s&&q(`span`,{role:`status`,children:`Saved.`})]})]})}var ir=H(`
  query WebhookDeliveries($id: ID!, $first: Int, $after: Cursor, $where: DeliveryWhereInput) {
    node(id: $id) {
      ... on Webhook {
        id
        deliveries(first: $first, after: $after, where: $where, orderBy: { field: CREATED_AT, direction: DESC }) {
          totalCount
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          edges {
            node {
              id
              status
              attemptCount
              createdAt
              nextAttemptAt
              completedAt
              event { id type entityType entityId }
              attempts { id number success responseStatus errorKind startedAt trigger }
            }
          }
        }
      }
    }
  }
`),ar=H(`
  mutation WebhookDeliveryRetry($id: ID!) {
    retryDelivery(id: $id) { id status attemptCount }
  }
`),or=H(`
  mutation WebhookReplay($input: ReplayDeliveriesInput!) {
    replayDeliveries(input: $input) { count }
  }
`),sr=[`PENDING`,`SUCCEEDED`,`FAILED`,`CANCELLED`];function cr(e){if(!e)return null;let t=new Date(e);return Number.isNaN(t.getTime())?null:t.toISOString()}function lr(e){let{query:t}=xt(),n=z(R.get().viewer),r=t.get(`status`)??``,i=t.get(`type`)??``,a=t.get(`since`)??``,o=t.get(`until`)??``,s=t.get(`after`),c={};r&&(c.status=r),i&&(c.hasEventWith=[{type:i}]),cr(a)&&(c.createdAtGTE=cr(a)),cr(o)&&(c.createdAtLT=cr(o));let l=U(ir,{id:e.w.id,first:25,after:s,where:c},{refresh:!0}),u=W(ar),d=W(or),[f,p]=j(null),[m,h]=j([`FAILED`]),g=N(0);M(()=>{if(!e.tick||s)return;let t=Math.max(0,1e3-(Date.now()-g.current)),n=setTimeout(()=>{g.current=Date.now(),l.reload()},t);return()=>clearTimeout(n)},[e.tick]);let _=l.data?.node&&`deliveries`in l.data.node?l.data.node.deliveries:null,v=_?.edges?.flatMap(e=>e?.node?[e.node]:[])??[];return q(`div`,{"data-deliveries":`true`,children:[q(`div`,{class:`filters`,children:[q(`label`,{children:[`Status`,q(`select`,{name:`status`,value:r,onChange:e=>K({status:e.target.value||null,after:null}),children:[q(`option`,{value:``,children:`All`}),sr.map(e=>q(`option`,{value:e,children:e.toLowerCase()},e))]})]}),q(`label`,{children:[`Event type`,q(`select`,{name:`type`,value:i,onChange:e=>K({type:e.target.value||null,after:null}),children:[q(`option`,{value:``,children:`All`}),e.w.events.filter(e=>e!==`*`).concat(i&&!e.w.events.includes(i)?[i]:[]).map(e=>q(`option`,{value:e,children:e},e)),q(`option`,{value:`webhook.ping`,children:`webhook.ping`})]})]}),q(`label`,{children:[`Since`,q(`input`,{type:`datetime-local`,name:`since`,value:a,onChange:e=>K({since:e.target.value||null,after:null})})]}),q(`label`,{children:[`Until`,q(`input`,{type:`datetime-local`,name:`until`,value:o,onChange:e=>K({until:e.target.value||null,after:null})})]})]}),q(Y,{error:l.error??u.error}),_&&v.length===0&&q(Z,{children:r||i||a||o?`No delivery matches these filters.`:`No deliveries yet. Publish an event of a subscribed type, or use Trigger Now.`}),v.length>0&&q(`table`,{"data-list":`deliveries`,children:[q(`thead`,{children:q(`tr`,{children:[q(`th`,{children:`Event`}),q(`th`,{children:`Status`}),q(`th`,{children:`Attempts`}),q(`th`,{children:`Created`}),q(`th`,{children:`Next attempt`}),q(`th`,{})]})}),q(`tbody`,{children:v.map(e=>q(`tr`,{"data-id":e.id,"data-status":e.status,children:[q(`td`,{children:[q(`a`,{href:G(`/events/${e.event.id}`),children:e.event.type}),e.event.entityType&&q(`span`,{class:`muted`,children:[` `,e.event.entityType,`:`,e.event.entityId]})]}),q(`td`,{children:q(Mt,{status:e.status})}),q(`td`,{children:[e.attempts.map(e=>q(`span`,{class:`row`,style:{display:`inline-flex`,marginRight:`8px`},children:q(Pt,{id:e.id,children:[`#`,e.number,` `,q(Nt,{success:e.success,status:e.responseStatus,errorKind:e.errorKind})]})},e.id)),e.attempts.length===0&&q(`span`,{class:`muted`,children:`none yet`})]}),q(`td`,{children:q(Q,{value:e.createdAt})}),q(`td`,{children:q(Q,{value:e.nextAttemptAt,empty:`—`})}),q(`td`,{children:n.write&&q(`button`,{type:`button`,class:`small`,disabled:u.busy,onClick:()=>u.run({id:e.id}).then(e=>e&&l.reload()),children:`Retry`})})]},e.id))})]}),q(Ft,{pageInfo:_?.pageInfo,total:_?.totalCount}),n.write&&q(`form`,{class:`card form`,style:{marginTop:`16px`},onSubmit:async t=>{t.preventDefault(),p(null);let n=new FormData(t.target),r=await d.run({input:{webhookId:e.w.id,since:cr(String(n.get(`replaySince`)??``))??``,until:cr(String(n.get(`replayUntil`)??``)),statuses:m}});r&&(p(r.replayDeliveries.count),l.reload())},children:[q(`h3`,{children:`Replay a range`}),q(`p`,{class:`muted wide`,children:`Queue this webhook's deliveries created in a range again, each with a fresh retry schedule.`}),q(X,{label:`Since`,name:`since`,error:d.error,children:q(`input`,{type:`datetime-local`,name:`replaySince`,required:!0})}),q(X,{label:`Until (default now)`,name:`until`,error:d.error,children:q(`input`,{type:`datetime-local`,name:`replayUntil`})}),q(X,{label:`Statuses`,name:`statuses`,error:d.error,wide:!0,children:q(`div`,{class:`row`,children:sr.map(e=>q(`label`,{class:`check`,children:[q(`input`,{type:`checkbox`,name:`replayStatuses`,value:e,checked:m.includes(e),onChange:t=>h(t.target.checked?[...m,e]:m.filter(t=>t!==e))}),e.toLowerCase()]},e))})}),q(Y,{error:d.error,fields:[`since`,`until`,`statuses`]}),q(`div`,{class:`form-actions`,children:[q(`button`,{type:`submit`,disabled:d.busy,children:`Replay deliveries`}),f!=null&&q(`span`,{role:`status`,children:f===1?`1 delivery queued again.`:`${f} deliveries queued again.`})]})]})]})}var ur=H(`
  mutation WebhookTest($id: ID!, $eventType: String) {
    testWebhook(id: $id, eventType: $eventType, wait: false) { id }
  }
`),dr=H(`
  subscription WebhookTestRun($id: ID!) {
    testRunUpdated(id: $id) {
      id
      status
      startedAt
      finishedAt
      testsRun
      testsSucceeded
      testsFailed
      tests { eventType success responseStatus durationMs error attempt { id } }
    }
  }
`);function fr(e){let t=z(R.get().viewer),[n,r]=j(``),i=W(ur),[a,o]=j(null),[s,c]=j(null);_t(dr,{id:a??``},e=>c(e.testRunUpdated),{skip:!a});let l=e.w.events.filter(e=>e!==`*`);return q(`div`,{class:`card`,"data-test-run":s?.status??`none`,children:[q(`p`,{children:[`Sends one test message per subscribed event type (or only the chosen one), with the type's example payload and the header `,q(`code`,{children:`hookd-test: true`}),`. Each is tried once.`]}),t.write?q(`form`,{class:`row`,onSubmit:async t=>{t.preventDefault(),c(null);let r=await i.run({id:e.w.id,eventType:n||null});r&&o(r.testWebhook.id)},children:[q(`select`,{name:`eventType`,value:n,onChange:e=>r(e.target.value),children:[q(`option`,{value:``,children:`Every subscribed type`}),l.map(e=>q(`option`,{children:e},e))]}),q(`button`,{type:`submit`,class:`primary`,disabled:i.busy||s?.status===`RUNNING`,children:`Send Test Event`})]}):q(`p`,{class:`muted`,children:`This token's role may not run tests.`}),q(Y,{error:i.error}),a&&!s&&q(Et,{}),s&&q(S,{children:[q(`p`,{role:`status`,children:[q(Mt,{status:s.status}),` `,s.testsRun,` run · `,s.testsSucceeded,` succeeded · `,s.testsFailed,` failed`]}),q(`table`,{class:`results`,"data-list":`tests`,children:[q(`thead`,{children:q(`tr`,{children:[q(`th`,{children:`Event type`}),q(`th`,{children:`Outcome`}),q(`th`,{children:`Duration`}),q(`th`,{children:`Error`}),q(`th`,{})]})}),q(`tbody`,{children:s.tests.map((e,t)=>q(`tr`,{"data-event-type":e.eventType,"data-success":String(e.success),children:[q(`td`,{children:e.eventType}),q(`td`,{children:q(Nt,{success:e.success,status:e.responseStatus})}),q(`td`,{children:[e.durationMs,` ms`]}),q(`td`,{children:e.error??``}),q(`td`,{children:e.attempt&&q(Pt,{id:e.attempt.id,children:`View response`})})]},t))})]})]})]})}var pr=H(`
  query WebhookFormData($workspaceId: ID!, $id: ID!, $editing: Boolean!) {
    eventTypes(workspaceId: $workspaceId, first: 500, orderBy: { field: NAME, direction: ASC }) {
      edges { node { id name description } }
    }
    node(id: $id) @include(if: $editing) {
      ... on Webhook {
        id
        name
        description
        url
        method
        enabled
        events
        entityType
        entityId
        headers { name value }
        authentication { type username jwtSecret ttlSeconds }
        customData
        retryPolicy { schedule }
        timeoutSeconds
        disableAfterConsecutiveFailures
        rateLimitPerSecond
      }
    }
  }
`),mr=H(`
  mutation WebhookCreate($input: CreateWebhookInput!) {
    createWebhook(input: $input) { id }
  }
`),hr=H(`
  mutation WebhookUpdate($id: ID!, $input: UpdateWebhookInput!) {
    updateWebhook(id: $id, input: $input) { id }
  }
`),gr={name:``,description:``,url:``,method:`POST`,enabled:!0,events:[],secret:``,entityType:``,entityId:``,headers:[],auth:`NONE`,username:``,password:``,jwtSecret:``,ttlSeconds:``,customData:``,schedule:``,timeoutSeconds:``,disableAfterConsecutiveFailures:``,rateLimitPerSecond:``},_r=[`name`,`description`,`url`,`method`,`enabled`,`events`,`secret`,`entityType`,`entityId`,`headers`,`authentication`,`customData`,`retryPolicy`,`timeoutSeconds`,`disableAfterConsecutiveFailures`,`rateLimitPerSecond`];function vr(e,t){if(!e.trim())return null;let n=Number(e);if(!Number.isInteger(n))throw new B([{message:`must be a whole number`,code:`BAD_USER_INPUT`,field:t}]);return n}function yr(e){let t=!!e.id,n=U(pr,{workspaceId:e.workspaceId,id:e.id??``,editing:t}),r=W(mr),i=W(hr),[a,o]=j(gr),[s,c]=j(!t),[l,u]=j(!1),[d,f]=j(null),p=d??r.error??i.error,m=r.busy||i.busy,h=n.data?.node&&`url`in n.data.node?n.data.node:null;M(()=>{h&&!s&&(o({name:h.name,description:h.description,url:h.url,method:h.method,enabled:h.enabled,events:h.events,secret:``,entityType:h.entityType??``,entityId:h.entityId??``,headers:h.headers,auth:h.authentication.type,username:h.authentication.username??``,password:``,jwtSecret:h.authentication.jwtSecret??``,ttlSeconds:h.authentication.ttlSeconds==null?``:String(h.authentication.ttlSeconds),customData:h.customData==null?``:JSON.stringify(h.customData,null,2),schedule:h.retryPolicy.schedule.join(`, `),timeoutSeconds:String(h.timeoutSeconds),disableAfterConsecutiveFailures:String(h.disableAfterConsecutiveFailures),rateLimitPerSecond:h.rateLimitPerSecond==null?``:String(h.rateLimitPerSecond)}),c(!0))},[h,s]);let g=e=>o(t=>({...t,...e})),_=e=>t=>g({[e]:t.target.value}),v=n.data?.eventTypes.edges?.flatMap(e=>e?.node?[e.node]:[])??[];return t&&!h?q(J,{name:`webhook-form`,title:`Edit webhook`,ready:!!n.error,children:n.error?q(Y,{error:n.error}):n.loading?q(Et,{}):q(`p`,{children:`This webhook does not exist.`})}):q(J,{name:`webhook-form`,title:t?`Edit ${h?.name}`:`Create webhook`,ready:!!n.data,children:q(`form`,{class:`form card`,onSubmit:async n=>{n.preventDefault(),f(null),r.clear(),i.clear();let o;try{let n=zt(a.customData,`input.customData`);if(n.error)throw n.error;let r=null;a.schedule.trim()&&(r=a.schedule.split(/[\s,]+/).filter(Boolean).map(e=>{let t=Number(e);if(!Number.isInteger(t))throw new B([{message:`"${e}" is not a whole number of seconds: list delays like 5, 300, 3600`,code:`BAD_USER_INPUT`,field:`input.retryPolicy`}]);return t}));let i=null;a.auth===`BASIC`&&(i={basicAuth:{username:a.username,password:a.password}}),a.auth===`JWT`&&(i={jwt:{secret:a.jwtSecret||null,ttlSeconds:vr(a.ttlSeconds,`input.authentication.jwt.ttlSeconds`)}});let s={name:a.name,description:a.description,url:a.url,method:a.method,enabled:a.enabled,events:a.events,entityType:a.entityType||null,entityId:a.entityId||null,headers:a.headers.filter(e=>e.name||e.value),customData:n.value,timeoutSeconds:vr(a.timeoutSeconds,`input.timeoutSeconds`),disableAfterConsecutiveFailures:vr(a.disableAfterConsecutiveFailures,`input.disableAfterConsecutiveFailures`),rateLimitPerSecond:vr(a.rateLimitPerSecond,`input.rateLimitPerSecond`)};if(t){let e={...s};r&&(e.retryPolicy={schedule:r}),s.timeoutSeconds??delete e.timeoutSeconds,s.disableAfterConsecutiveFailures??delete e.disableAfterConsecutiveFailures,l&&(e.authentication=i),o=e}else{let t={...s,workspaceId:e.workspaceId,secret:a.secret||null,authentication:i};r&&(t.retryPolicy={schedule:r}),o=t}}catch(e){f(e);return}let s=t?await i.run({id:e.id,input:o}):await r.run({input:o}),c=s&&(`createWebhook`in s?s.createWebhook.id:s.updateWebhook.id);c&&St(G(`/webhooks/${c}`))},noValidate:!0,children:[q(`h3`,{children:`General`}),q(X,{label:`Name`,name:`name`,error:p,children:q(`input`,{name:`name`,value:a.name,onInput:_(`name`),required:!0})}),q(X,{label:`URL`,name:`url`,error:p,hint:`Where hookd sends the requests (https, or http on private networks only if the server allows it).`,children:q(`input`,{name:`url`,type:`url`,value:a.url,onInput:_(`url`),placeholder:`https://example.com/webhooks`,required:!0})}),q(X,{label:`Description`,name:`description`,error:p,wide:!0,children:q(`input`,{name:`description`,value:a.description,onInput:_(`description`)})}),q(X,{label:`Events`,name:`events`,error:p,wide:!0,hint:v.length?`The event types this webhook receives; "*" is every type.`:void 0,children:v.length===0?q(`p`,{class:`muted`,children:[`No event types yet: `,q(`a`,{href:G(`/event-types`),children:`create one`}),` first.`]}):q(`div`,{class:`row`,role:`group`,"aria-label":`events`,children:[{id:`*`,name:`*`,description:`every type`},...v].map(e=>q(`label`,{class:`check`,title:e.description,children:[q(`input`,{type:`checkbox`,name:`events`,value:e.name,checked:a.events.includes(e.name),onChange:t=>{let n=t.target.checked;g({events:n?[...a.events,e.name]:a.events.filter(t=>t!==e.name)})}}),e.name]},e.name))})}),q(X,{label:`Entity type`,name:`entityType`,error:p,hint:`With an entity ID: only events published for this entity reach the webhook.`,children:q(`input`,{name:`entityType`,value:a.entityType,onInput:_(`entityType`),placeholder:`e.g. supplier`})}),q(X,{label:`Entity ID`,name:`entityId`,error:p,children:q(`input`,{name:`entityId`,value:a.entityId,onInput:_(`entityId`),placeholder:`e.g. 42`})}),q(`label`,{class:`check wide`,children:[q(`input`,{type:`checkbox`,name:`enabled`,checked:a.enabled,onChange:e=>g({enabled:e.target.checked})}),` Enabled`]}),q(`h3`,{children:`HTTP settings`}),q(X,{label:`Method`,name:`method`,error:p,children:q(`select`,{name:`method`,value:a.method,onChange:e=>g({method:e.target.value}),children:[`POST`,`PUT`,`PATCH`].map(e=>q(`option`,{children:e},e))})}),t?q(`p`,{class:`muted`,children:`The signing secret is rotated on the webhook's HTTP settings tab.`}):q(X,{label:`Signing secret`,name:`secret`,error:p,hint:`whsec_… (base64, 24–64 bytes); leave empty to have one generated.`,children:q(`input`,{name:`secret`,value:a.secret,onInput:_(`secret`),autoComplete:`off`})}),q(X,{label:`Headers`,name:`headers`,error:p,wide:!0,hint:`Sent with every request. Values of credential-like headers are stored encrypted.`,children:q(`div`,{class:`headers-edit`,children:[a.headers.map((e,t)=>q(`div`,{class:`row`,children:[q(`input`,{name:`headers.${t}.name`,"aria-label":`header name`,placeholder:`X-Header`,value:e.name,onInput:e=>g({headers:a.headers.map((n,r)=>r===t?{...n,name:e.target.value}:n)})}),q(`input`,{name:`headers.${t}.value`,"aria-label":`header value`,placeholder:`value`,value:e.value,onInput:e=>g({headers:a.headers.map((n,r)=>r===t?{...n,value:e.target.value}:n)})}),q(`button`,{type:`button`,class:`small`,onClick:()=>g({headers:a.headers.filter((e,n)=>n!==t)}),children:`Remove`})]},t)),q(`button`,{type:`button`,class:`small`,onClick:()=>g({headers:[...a.headers,{name:``,value:``}]}),children:`Add header`})]})}),q(X,{label:`Authentication`,name:`authentication`,error:p,wide:!0,children:q(`select`,{name:`authentication`,value:a.auth,onChange:e=>{u(!0),g({auth:e.target.value})},children:[q(`option`,{value:`NONE`,children:`None (the signature only)`}),q(`option`,{value:`BASIC`,children:`Basic authentication`}),q(`option`,{value:`JWT`,children:`JWT bearer token`})]})}),a.auth===`BASIC`&&q(S,{children:[q(X,{label:`Username`,name:`authentication.basicAuth.username`,error:p,children:q(`input`,{name:`username`,value:a.username,onInput:e=>(u(!0),_(`username`)(e))})}),q(X,{label:`Password`,name:`authentication.basicAuth.password`,error:p,hint:t&&!l?`Stored and never shown: type a new one to change it.`:void 0,children:q(`input`,{name:`password`,type:`password`,autoComplete:`new-password`,value:a.password,onInput:e=>(u(!0),_(`password`)(e))})})]}),a.auth===`JWT`&&q(S,{children:[q(X,{label:`JWT secret`,name:`authentication.jwt.secret`,error:p,hint:`HS256 key; empty: generated.`,children:q(`input`,{name:`jwtSecret`,value:a.jwtSecret,autoComplete:`off`,onInput:e=>(u(!0),_(`jwtSecret`)(e))})}),q(X,{label:`JWT lifetime (seconds)`,name:`authentication.jwt.ttlSeconds`,error:p,children:q(`input`,{name:`ttlSeconds`,inputMode:`numeric`,value:a.ttlSeconds,onInput:e=>(u(!0),_(`ttlSeconds`)(e))})})]}),q(X,{label:`Timeout (seconds)`,name:`timeoutSeconds`,error:p,children:q(`input`,{name:`timeoutSeconds`,inputMode:`numeric`,value:a.timeoutSeconds,onInput:_(`timeoutSeconds`),placeholder:`default`})}),q(X,{label:`Rate limit (requests per second)`,name:`rateLimitPerSecond`,error:p,children:q(`input`,{name:`rateLimitPerSecond`,inputMode:`numeric`,value:a.rateLimitPerSecond,onInput:_(`rateLimitPerSecond`),placeholder:`unlimited`})}),q(X,{label:`Retry schedule (seconds between attempts)`,name:`retryPolicy`,error:p,hint:`e.g. 5, 300, 1800, 7200; empty keeps the default.`,children:q(`input`,{name:`retryPolicy`,value:a.schedule,onInput:_(`schedule`)})}),q(X,{label:`Disable after consecutive failures`,name:`disableAfterConsecutiveFailures`,error:p,hint:`0 never disables.`,children:q(`input`,{name:`disableAfterConsecutiveFailures`,inputMode:`numeric`,value:a.disableAfterConsecutiveFailures,onInput:_(`disableAfterConsecutiveFailures`),placeholder:`default`})}),q(`h3`,{children:`Custom data`}),q(X,{label:`Custom data (JSON object, sent to the receiver as "custom")`,name:`customData`,error:p,wide:!0,children:q(Rt,{name:`customData`,value:a.customData,onInput:e=>g({customData:e}),rows:6,placeholder:`{"supplierCode": "ACME"}`})}),q(Y,{error:p,fields:_r}),q(`div`,{class:`form-actions`,children:[q(`button`,{type:`submit`,class:`primary`,disabled:m,children:t?`Save webhook`:`Create webhook`}),q(`a`,{href:G(t?`/webhooks/${e.id}`:`/webhooks`),children:q(`button`,{type:`button`,children:`Cancel`})})]})]})})}var br=H(`
  query WebhooksList($workspaceId: ID!, $first: Int, $after: Cursor, $where: WebhookWhereInput, $failing: Boolean) {
    webhooks(workspaceId: $workspaceId, first: $first, after: $after, where: $where, failing: $failing, orderBy: { field: CREATED_AT, direction: DESC }) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges {
        node {
          id
          name
          url
          enabled
          events
          entityType
          entityId
          disabledReason
          statistics { lastSuccessAt lastFailureAt failuresSinceLastSuccess }
        }
      }
    }
  }
`);function xr(e){let{query:t}=xt(),n=t.get(`q`)??``,r=t.get(`status`)??``,i=t.get(`after`),a=z(R.get().viewer),[o,s]=j(n),c={};n&&(c.or=[{nameContainsFold:n},{urlContainsFold:n}]),r===`enabled`&&(c.enabled=!0),r===`disabled`&&(c.enabled=!1);let l=U(br,{workspaceId:e.workspaceId,first:25,after:i,where:c,failing:r===`failing`||null}),u=l.data?.webhooks,d=u?.edges?.flatMap(e=>e?.node?[e.node]:[])??[],f=!!(n||r);return q(J,{name:`webhooks`,title:`Webhooks`,ready:!!l.data||!!l.error,actions:a.write&&q(`a`,{href:G(`/webhooks/new`),children:q(`button`,{type:`button`,class:`primary`,children:`Create webhook`})}),children:[q(`form`,{class:`filters`,role:`search`,onSubmit:e=>{e.preventDefault(),K({q:o.trim()||null,after:null})},children:[q(`label`,{children:[`Search name or URL`,q(`input`,{type:`search`,name:`q`,value:o,onInput:e=>s(e.target.value),placeholder:`e.g. orders`})]}),q(`label`,{children:[`Status`,q(`select`,{name:`status`,value:r,onChange:e=>K({status:e.target.value||null,after:null}),children:[q(`option`,{value:``,children:`All`}),q(`option`,{value:`enabled`,children:`Enabled`}),q(`option`,{value:`disabled`,children:`Disabled`}),q(`option`,{value:`failing`,children:`Failing`})]})]}),q(`button`,{type:`submit`,children:`Search`}),f&&q(`button`,{type:`button`,onClick:()=>{s(``),K({q:null,status:null,after:null})},children:`Clear filters`})]}),q(Y,{error:l.error}),u&&d.length===0&&q(Z,{children:f?q(`p`,{children:`No webhook matches these filters.`}):q(S,{children:[q(`p`,{children:`No webhooks yet.`}),q(`p`,{children:a.write?`Create one to start receiving events: give it a URL and the event types it wants.`:`Ask someone with write access to create one.`})]})}),d.length>0&&q(`table`,{"data-list":`webhooks`,children:[q(`thead`,{children:q(`tr`,{children:[q(`th`,{children:`Name`}),q(`th`,{children:`URL`}),q(`th`,{children:`Events`}),q(`th`,{children:`Entity`}),q(`th`,{children:`Status`}),q(`th`,{children:`Last success`}),q(`th`,{children:`Failures since`})]})}),q(`tbody`,{children:d.map(e=>q(`tr`,{"data-id":e.id,children:[q(`td`,{children:q(`a`,{href:G(`/webhooks/${e.id}`),children:e.name})}),q(`td`,{class:`url`,children:q(`code`,{children:e.url})}),q(`td`,{children:e.events.map(e=>q(`span`,{class:`tag`,children:e},e))}),q(`td`,{children:e.entityType?`${e.entityType}:${e.entityId}`:q(`span`,{class:`muted`,children:`all`})}),q(`td`,{children:e.enabled?q($,{kind:`ok`,children:`enabled`}):q($,{kind:`muted`,title:e.disabledReason??``,children:`disabled`})}),q(`td`,{children:q(Q,{value:e.statistics.lastSuccessAt,empty:`never`})}),q(`td`,{children:e.statistics.failuresSinceLastSuccess>0?q($,{kind:`bad`,children:e.statistics.failuresSinceLastSuccess}):q(`span`,{class:`muted`,children:`0`})})]},e.id))})]}),q(Ft,{pageInfo:u?.pageInfo,total:u?.totalCount})]})}var Sr=H(`
  query WorkspacesList($first: Int, $after: Cursor) {
    workspaces(first: $first, after: $after, orderBy: { field: NAME, direction: ASC }) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { node { id name createdAt exclusiveEventTypes } }
    }
  }
`),Cr=H(`
  mutation WorkspacesCreate($input: CreateWorkspaceInput!) {
    createWorkspace(input: $input) { id name createdAt exclusiveEventTypes }
  }
`),wr=25,Tr=[`name`,`exclusiveEventTypes`];function Er(e){rt(e),St(G(`/`))}function Dr(){let{query:e}=xt(),{viewer:t,workspaceId:n}=L(R),r=z(t),i=U(Sr,{first:wr,after:e.get(`after`)},{skip:!r.admin}),a=i.data?.workspaces,o=a?.edges?.flatMap(e=>e?.node?[e.node]:[])??[],s=W(Cr),[c,l]=j(``),[u,d]=j(!1),[f,p]=j(null),[m,h]=j(null),g=f??s.error;return r.admin?q(J,{name:`workspaces`,title:`Workspaces`,sub:`Every workspace of this hookd instance. Each has its own webhooks, event types, events and tokens.`,ready:!!i.data||!!i.error,children:[m&&q(`p`,{class:`banner info row`,role:`status`,"data-created":m.id,children:[q(`span`,{children:[`Created the workspace `,m.name,` (`,q(`code`,{children:m.id}),`).`]}),q(`button`,{type:`button`,class:`small primary`,onClick:()=>Er(m.id),children:[`Open `,m.name]})]}),q(`form`,{class:`form card`,"data-form":`create-workspace`,onSubmit:async e=>{if(e.preventDefault(),p(null),h(null),s.clear(),!c.trim()){p(new B([{message:`give the workspace a name`,code:`BAD_USER_INPUT`,field:`input.name`}]));return}let t=await s.run({input:{name:c.trim(),exclusiveEventTypes:u}});t&&(h({id:t.createWorkspace.id,name:t.createWorkspace.name}),l(``),d(!1),i.reload())},noValidate:!0,children:[q(`h2`,{class:`wide`,children:`New workspace`}),q(X,{label:`Name`,name:`name`,error:g,children:q(`input`,{name:`name`,value:c,autoComplete:`off`,placeholder:`e.g. Acme marketplace`,onInput:e=>l(e.target.value)})}),q(X,{label:`Exclusive event types`,name:`exclusiveEventTypes`,error:g,hint:`When on, each event type may be subscribed by at most one webhook per entity scope, and no webhook may subscribe to “*”.`,children:q(`span`,{class:`check`,children:[q(`input`,{type:`checkbox`,name:`exclusiveEventTypes`,style:{width:`auto`},checked:u,onChange:e=>d(e.target.checked)}),`One webhook per event type and entity`]})}),q(Y,{error:g,fields:Tr}),q(`div`,{class:`form-actions`,children:q(`button`,{type:`submit`,class:`primary`,disabled:s.busy,children:`Create workspace`})})]}),q(Y,{error:i.error}),!i.data&&!i.error&&q(Et,{}),a&&o.length===0&&q(Z,{children:q(`p`,{children:`No workspaces yet. Create one above, then switch to it to add event types, webhooks and tokens.`})}),o.length>0&&q(`table`,{"data-list":`workspaces`,children:[q(`thead`,{children:q(`tr`,{children:[q(`th`,{children:`Name`}),q(`th`,{children:`ID`}),q(`th`,{children:`Created`}),q(`th`,{children:`Exclusive event types`}),q(`th`,{})]})}),q(`tbody`,{children:o.map(e=>q(`tr`,{"data-id":e.id,"data-name":e.name,children:[q(`td`,{children:e.name}),q(`td`,{children:q(`code`,{children:e.id})}),q(`td`,{children:q(Q,{value:e.createdAt})}),q(`td`,{children:e.exclusiveEventTypes?q($,{kind:`wait`,children:`exclusive`}):q(`span`,{class:`muted`,children:`no`})}),q(`td`,{children:e.id===n?q($,{kind:`ok`,children:`current`}):q(`button`,{type:`button`,class:`small`,onClick:()=>Er(e.id),children:`Switch to`})})]},e.id))})]}),q(Ft,{pageInfo:a?.pageInfo,total:a?.totalCount})]}):q(J,{name:`workspaces`,title:`Workspaces`,ready:!0,children:q(Z,{children:[q(`p`,{children:`This screen is for instance admins: only an instance admin token (hookd token create --admin) lists and creates workspaces.`}),q(`p`,{children:[`Your token belongs to the workspace `,t?.workspace?.name??``,`.`]})]})})}var Or=H(`
  query ConsoleViewer {
    viewer {
      admin
      role
      token { name expiresAt }
      workspace { id name }
    }
  }
`),kr=H(`
  query ConsoleWorkspaces {
    workspaces(first: 100, orderBy: { field: NAME, direction: ASC }) {
      edges { node { id name } }
    }
  }
`),Ar=2e4;function jr(){let e=L(R),[t,n]=j(null);return M(()=>{if(!e.token)return;let t=!1,r=()=>ct(Or,{}).then(e=>{t||(nt({admin:e.viewer.admin,role:e.viewer.role??null,tokenName:e.viewer.token?.name??null,expiresAt:e.viewer.token?.expiresAt??null,workspace:e.viewer.workspace??null}),n(null))},e=>!t&&n(e));r();let i=setInterval(r,Ar),a=()=>r();return addEventListener(`focus`,a),()=>{t=!0,clearInterval(i),removeEventListener(`focus`,a)}},[e.token]),M(()=>{let t=e.viewer?.expiresAt;if(!t)return;let n=0,r=()=>{let e=new Date(t).getTime()-Date.now();e<=0?tt(`You were signed out: your API token expired at ${new Date(t).toLocaleString()}.`):n=window.setTimeout(r,Math.min(e,2**30))};return r(),()=>clearTimeout(n)},[e.viewer?.expiresAt]),e.token?e.viewer?q(Nr,{}):q(`div`,{class:`boot`,children:[t?q(Y,{error:t}):q(`p`,{class:`muted`,children:`Signing in…`}),t&&q(`button`,{type:`button`,onClick:()=>tt(),children:`Sign in with another token`})]}):q(Mr,{because:e.signedOutBecause})}function Mr(e){let[t,n]=j(``),[r,i]=j(null),[a,o]=j(!1);return q(`main`,{"data-screen":`sign-in`,"data-ready":`true`,class:`sign-in`,children:q(`form`,{onSubmit:async e=>{e.preventDefault();let n=t.trim();if(!n)i(new B([{message:`paste an API token: hookd token create prints one, and make run prints a sign-in link`,code:`BAD_USER_INPUT`,field:`token`}]));else{o(!0);try{await ct(Or,{},n),et(n)}catch(e){i(e),o(!1)}}},class:`card`,children:[q(`h1`,{children:`hookd`}),q(`p`,{children:`Sign in with an API token. It is kept in this tab only (sessionStorage) and sent as a Bearer header; closing the tab or signing out forgets it.`}),e.because&&q(`p`,{class:`error-note`,role:`alert`,children:e.because}),q(X,{label:`API token`,name:`token`,error:r,children:q(`input`,{type:`password`,name:`token`,autoComplete:`off`,value:t,onInput:e=>n(e.target.value)})}),q(Y,{error:r,fields:[`token`]}),q(`button`,{type:`submit`,class:`primary`,disabled:a,children:`Sign in`})]})})}function Nr(){let e=L(R),t=xt(),n=z(e.viewer),{state:r}=L(lt),i=Fr(n.admin);M(()=>{n.admin&&!e.workspaceId&&i?.length&&rt(i[0].id)},[n.admin,e.workspaceId,i]);let a=[n.read&&{path:`/`,label:`Overview`},n.read&&{path:`/webhooks`,label:`Webhooks`},n.read&&{path:`/event-types`,label:`Event types`},n.read&&{path:`/events`,label:`Events`},n.read&&{path:`/live`,label:`Live feed`},n.publish&&{path:`/publish`,label:`Publish`},n.manage&&{path:`/tokens`,label:`API tokens`},n.admin&&{path:`/workspaces`,label:`Workspaces`}].filter(Boolean),o=n.admin?i?.find(t=>t.id===e.workspaceId)?.name:e.viewer?.workspace?.name,s=t.query.get(`attempt`);return q(`div`,{class:`shell`,onClick:wt,children:[q(`aside`,{class:`nav`,children:[q(`a`,{class:`brand`,href:G(`/`),children:`hookd`}),n.admin?q(`label`,{class:`switcher`,children:[q(`span`,{class:`label`,children:`Workspace`}),q(`select`,{name:`workspace`,value:e.workspaceId??``,onChange:e=>{rt(e.target.value),St(G(`/`))},children:(i??[]).map(e=>q(`option`,{value:e.id,children:e.name},e.id))})]}):q(`p`,{class:`workspace-name`,title:e.workspaceId??``,children:o}),q(`nav`,{children:a.map(e=>q(`a`,{href:G(e.path),class:Pr(e.path,t.path)?`current`:``,"aria-current":Pr(e.path,t.path)?`page`:void 0,children:e.label},e.path))}),q(`div`,{class:`who`,children:[q(`p`,{children:[e.viewer?.tokenName??`token`,` `,q(`span`,{class:`badge muted`,"data-role":n.admin?`INSTANCE_ADMIN`:e.viewer?.role,children:n.admin?`instance admin`:e.viewer?.role?.toLowerCase()})]}),q(`button`,{type:`button`,class:`small`,onClick:()=>tt(`You signed out.`),children:`Sign out`})]})]}),q(`div`,{class:`content`,children:[r===`reconnecting`&&q(`p`,{class:`banner warn`,role:`status`,"data-live":`reconnecting`,children:`The live connection dropped: reconnecting… Figures will be read again when it is back.`}),e.workspaceId?q(Ir,{path:t.path,workspaceId:e.workspaceId}):q(Dr,{}),s&&q(Ht,{id:s,onClose:()=>K({attempt:null},!1)})]})]})}function Pr(e,t){return e===`/`?t===`/`:t===e||t.startsWith(e+`/`)}function Fr(e){let[t,n]=j(null),{workspaceId:r}=L(R);return M(()=>{e&&ct(kr,{}).then(e=>n(e.workspaces.edges?.flatMap(e=>e?.node?[e.node]:[])??[]),()=>n([]))},[e,r]),t}function Ir(e){let{path:t,workspaceId:n}=e,r=z(R.get().viewer),i;return r.read?t===`/`?q(Tn,{workspaceId:n}):t===`/webhooks`?q(xr,{workspaceId:n}):t===`/webhooks/new`?q(yr,{workspaceId:n}):(i=Ct(`/webhooks/:id/edit`,t))?q(yr,{workspaceId:n,id:i.id}):(i=Ct(`/webhooks/:id/:tab?`,t))?q(Yn,{id:i.id,tab:i.tab??`general`,workspaceId:n}):t===`/event-types`?q(Qt,{workspaceId:n}):t===`/events`?q(un,{workspaceId:n}):(i=Ct(`/events/:id`,t))?q(dn,{id:i.id}):t===`/live`?q(vn,{workspaceId:n}):t===`/publish`?q(jn,{workspaceId:n}):t===`/tokens`?q(Vn,{workspaceId:n}):t===`/workspaces`?q(Dr,{}):q(`main`,{"data-screen":`not-found`,"data-ready":`true`,children:[q(`h1`,{children:`Not found`}),q(`p`,{children:[`There is no screen at this address. `,q(`a`,{href:G(`/`),children:`Go to the overview`}),`.`]})]}):q(jn,{workspaceId:n})}$e(),he(q(jr,{}),document.getElementById(`app`));